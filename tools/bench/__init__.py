"""``make bench``: the dev host measured side by side with durabletask-python and with plain calls
(see ``__main__`` and docs/BENCHMARKS.md)."""
