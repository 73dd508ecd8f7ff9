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


def run_step(step: str, payload: dict[str, Any], call: Callable[[DocumentStore], Result]) -> Result:
    """Run ``call`` against the store for ``step``; log the outcome with the order id."""
    order_id = str(payload.get("order_id"))
    faults = get_faults()
    try:
        if faults is None:
            result = call(get_store())
        else:
            result = faults.run(step, order_id, lambda: call(get_store()))
    except TechnicalFault as fault:
        log_event(
            log,
            logging.WARNING,
            "saga_step",
            order_id=order_id,
            step=step,
            outcome="technical_fault",
            error=type(fault).__name__,
        )
        return {
            "ok": False,
            "step": step,
            "code": "technical_fault",
            "message": str(fault),
            "retryable": True,
        }
    outcome = "ok" if result["ok"] else result.get("code")
    log_event(log, logging.INFO, "saga_step", order_id=order_id, step=step, outcome=outcome)
    return result
