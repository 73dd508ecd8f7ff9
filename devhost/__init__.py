"""Embedded dev host: runs function_app.py locally with the real Durable replay (never deployed)."""
