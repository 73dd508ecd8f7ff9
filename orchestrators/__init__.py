"""Orchestrators: deterministic generators coordinating the sagas (no I/O, no clock, no env)."""
