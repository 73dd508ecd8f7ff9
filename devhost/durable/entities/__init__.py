"""Durable entities (spec 11): entity ids and messages, the SQLite tables, one batch of
operations, and the scheduler that runs one batch at a time per entity."""
