"""Triggers: HTTP starters and status, Event Hub choreography handlers, timer watchdog."""
