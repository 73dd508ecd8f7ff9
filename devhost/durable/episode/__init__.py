"""One episode of an instance: run the orchestrator on its history (run), read its reply (reply),
turn the outcome into one transaction (commit); the types they share (types)."""
