"""The Durable extension: per-instance history in SQLite, episodes that replay the orchestrator
through the real SDK, activities, timers, retries, recovery after a crash."""
