"""Timer-triggered watchdog of the choreography saga: every 30 s, sagas still running past their
deadline are asked to abort (``SagaTimedOut``), so none hangs forever."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import azure.durable_functions as df
import azure.functions as func

from observability import log_event
from saga.choreography.watchdog import time_out_overdue
from triggers.choreography_handlers import build_pipeline

# NCRONTAB with seconds: at second 0 and 30 of every minute.
SCHEDULE = "*/30 * * * * *"
bp = df.Blueprint()
log = logging.getLogger("saga.choreography")


@bp.timer_trigger(arg_name="timer", schedule=SCHEDULE)
def choreography_watchdog(timer: func.TimerRequest) -> None:
    pipeline = build_pipeline()
    store, wall_now = pipeline.services.store, datetime.now(UTC)
    try:
        timed_out = time_out_overdue(
            store, pipeline.publisher, pipeline.hub, timer_now(timer, wall_now), wall_now
        )
    except Exception:
        # The next pass tries again; nothing is lost by skipping this one.
        log.exception("choreography watchdog pass failed")
        return
    for order_id in timed_out:
        log_event(log, logging.WARNING, "saga_timed_out", saga_id=order_id, order_id=order_id)


def timer_now(timer: func.TimerRequest, now: datetime) -> datetime:
    """The host's clock: the wall clock ``now``, or the occurrence the timer fired for when that
    is later (the dev host's virtual clock reports its time there)."""
    last = (getattr(timer, "schedule_status", None) or {}).get("Last")
    try:
        occurrence = datetime.fromisoformat(last) if isinstance(last, str) else now
    except ValueError:
        return now
    if occurrence.tzinfo is None:  # a time without an offset is taken as UTC
        occurrence = occurrence.replace(tzinfo=UTC)
    return max(now, occurrence)
