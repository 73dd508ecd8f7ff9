"""What every activity shim shares: the store from the composition root, structured logs, and
technical faults turned into retryable results so a fan-out never fails fast."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from activities import faults
from composition import get_settings, get_store
from observability import log_event
from saga.errors import TechnicalFault
from saga.ports import DocumentStore

log = logging.getLogger("saga.activities")
Result = dict[str, Any]


def run_step(step: str, payload: dict[str, Any], call: Callable[[DocumentStore], Result]) -> Result:
    """Run ``call`` against the store for ``step``; log the outcome with the order id."""
    order_id = str(payload.get("order_id"))
    simulate = payload.get("simulate") if get_settings().saga_fault_injection else None
    refused = faults.refusal(step, simulate) if simulate else None
    if refused is not None:
        return refused
    try:
        if simulate:
            faults.before_step(step, order_id, simulate)
            if simulate.get("duplicate"):
                call(get_store())  # a first run whose result was lost: the step runs again
        result = call(get_store())
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
