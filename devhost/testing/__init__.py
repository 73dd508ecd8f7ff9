"""Helpers to drive the dev host from tests and tools: an HTTP client like curl, and the host as a
subprocess (kill -9 and restart on the same state)."""
