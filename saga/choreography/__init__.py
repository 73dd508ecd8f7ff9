"""Choreography saga core: what each service does on each event, the at-least-once consumer
pipeline (ledger, retries, dead letters), the saga read model and the deadline watchdog."""
