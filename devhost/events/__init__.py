"""Event sources: the local Event Hubs (a durable partitioned log, consumers with checkpoints, the
publish endpoint) and the timer triggers, run together as one background service."""
