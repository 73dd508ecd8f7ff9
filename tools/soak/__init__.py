"""The reliability and security soak (``make soak``, ``python -m tools.soak``): drives the app on
the dev host over HTTP through faults, crashes, redelivery, contention and hostile input, then
checks invariants computed from the store and writes the figures to docs/RELIABILITY.md."""
