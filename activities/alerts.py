"""Raised when a saga could not undo everything: an error-level log and a dead-letter record
with the failed compensations, so an operator can finish the job by hand."""

from __future__ import annotations

import logging
from typing import Any

import azure.durable_functions as df

from activities.common import Result, run_step
from observability import log_event
from saga.concurrency import create_or_read
from saga.containers import DEADLETTERS
from saga.ports import DocumentStore

REPORT_COMPENSATION_FAILURE = "report_compensation_failure"
bp = df.Blueprint()
log = logging.getLogger("saga.alerts")


@bp.activity_trigger(input_name="payload", activity=REPORT_COMPENSATION_FAILURE)
def report_compensation_failure(payload: dict) -> Result:
    return run_step(
        REPORT_COMPENSATION_FAILURE, "order_id", payload, lambda store: record(store, payload)
    )


def record(store: DocumentStore, payload: dict[str, Any]) -> Result:
    """Log at error level and keep a dead letter (idempotent: one per saga)."""
    failed = payload["failed_compensations"]
    log_event(
        log,
        logging.ERROR,
        "saga_compensation_failed",
        saga_id=payload["saga_id"],
        order_id=payload["order_id"],
        steps=",".join(f["step"] for f in failed),
    )
    letter = {
        "id": f"saga:{payload['saga_id']}",
        "order_id": payload["order_id"],
        "kind": "compensation_failed",
        "saga_id": payload["saga_id"],
        "failed_compensations": failed,
    }
    create_or_read(store, DEADLETTERS, payload["order_id"], letter)
    return {"ok": True}
