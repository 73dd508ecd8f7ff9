"""Structured log lines: ``<event> key=value ...`` in the message (the Python worker forwards only
the message to Application Insights) and the same fields in ``extra`` for local handlers.
docs/OBSERVABILITY.md has the queries that read them back."""

from __future__ import annotations

import logging
from typing import Any


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Log ``event`` with its fields; None values are left out."""
    present = {key: value for key, value in fields.items() if value is not None}
    pairs = " ".join(f"{key}={value}" for key, value in present.items())
    logger.log(level, f"{event} {pairs}".rstrip(), extra=present)
