"""Adapters implementing the saga/ ports: SQLite (embedded default), Cosmos DB, Event Hubs."""
