"""Timer-triggered watchdog of the choreography saga: every 30 s, sagas still running past their
deadline are asked to abort (``SagaTimedOut``), so none hangs forever."""

from __future__ import annotations

import logging

import azure.durable_functions as df
import azure.functions as func

from composition import get_pipeline
from observability import log_event
from saga.choreography.watchdog import time_out_overdue

# NCRONTAB with seconds: at second 0 and 30 of every minute.
SCHEDULE = "*/30 * * * * *"
bp = df.Blueprint()
log = logging.getLogger("saga.choreography")


@bp.timer_trigger(arg_name="timer", schedule=SCHEDULE)
def choreography_watchdog(timer: func.TimerRequest) -> None:
    pipeline = get_pipeline()
    if not pipeline.hub:  # EVENTHUB_NAME unset: the starter starts no choreography saga
        return
    now = pipeline.services.now()
    try:
        timed_out = time_out_overdue(pipeline.services.store, pipeline.publisher, pipeline.hub, now)
    except Exception:
        # The next pass tries again; nothing is lost by skipping this one.
        log.exception("choreography watchdog pass failed")
        return
    for order_id in timed_out:
        log_event(log, logging.WARNING, "saga_timed_out", saga_id=order_id, order_id=order_id)
