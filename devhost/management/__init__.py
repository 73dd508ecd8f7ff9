"""The Durable HTTP management API and the client operations behind it: start, status, events,
terminate, suspend, resume, restart, purge; the durable client binding that points at it."""
