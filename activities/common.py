"""What every activity shim shares: the store from the composition root, structured logs, and
technical faults turned into retryable results so a fan-out never fails fast."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from composition import get_faults, get_store
from observability import log_event
from saga.errors import TechnicalFault
from saga.ports import DocumentStore

log = logging.getLogger("saga.activities")
Result = dict[str, Any]


def run_step(
    step: str, key_field: str, payload: dict[str, Any], call: Callable[[DocumentStore], Result]
) -> Result:
    """Run ``call`` against the store for ``step`` of the saga whose business key is
    ``payload[key_field]``; log the outcome with it. The one fault injection seam."""
    key = str(payload.get(key_field))
    ids = {key_field: key}
    faults = get_faults()
    try:
        if faults is None:
            result = call(get_store())
        else:
            result = faults.run(step, key, lambda: call(get_store()))
    except TechnicalFault as fault:
        log_event(
            log,
            logging.WARNING,
            "saga_step",
            **ids,
            step=step,
            outcome="technical_fault",
            error=type(fault).__name__,
        )
        return {
            "ok": False,
            "code": "technical_fault",
            "message": str(fault),
            "retryable": True,
        }
    outcome = "ok" if result["ok"] else result.get("code")
    log_event(log, logging.INFO, "saga_step", **ids, step=step, outcome=outcome)
    return result
