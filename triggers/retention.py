"""Timer-triggered history retention: purges the Durable history of saga instances that ended
(Completed, Failed, Terminated) and were created more than SAGA_HISTORY_RETENTION_SECONDS ago,
through the durable client, so it works the same on Azure and on the dev host."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from composition import get_settings
from observability import log_event

# An app setting (NCRONTAB with seconds), resolved by the Functions host; Settings documents it.
SCHEDULE = "%SAGA_HISTORY_PURGE_SCHEDULE%"
# Running, pending and suspended instances are never purged, whatever their age.
ENDED = [
    df.OrchestrationRuntimeStatus.Completed,
    df.OrchestrationRuntimeStatus.Failed,
    df.OrchestrationRuntimeStatus.Terminated,
]
# The Durable purge API requires a lower bound; no saga of this app is older.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
bp = df.Blueprint()
log = logging.getLogger("saga.retention")


@bp.timer_trigger(arg_name="timer", schedule=SCHEDULE)
@bp.durable_client_input(client_name="client")
async def purge_saga_history(
    timer: func.TimerRequest, client: df.DurableOrchestrationClient
) -> None:
    now = datetime.now(UTC)
    await purge_ended_sagas(client, now, get_settings().saga_history_retention_seconds)


async def purge_ended_sagas(client: Any, now: datetime, retention_seconds: int) -> int | None:
    """Purge the instances that ended and were created ``retention_seconds`` or more before
    ``now``; returns how many, or None when the purge failed (the next occurrence retries)."""
    cutoff = now - timedelta(seconds=retention_seconds)
    try:
        result = await client.purge_instance_history_by(
            created_time_from=EARLIEST, created_time_to=cutoff, runtime_status=ENDED
        )
    except Exception:
        # An instance kept until the next occurrence loses nothing.
        log.exception("saga history purge failed")
        return None
    deleted = int(result.instances_deleted)
    log_event(
        log,
        logging.INFO,
        "saga_history_purged",
        instances=deleted,
        created_before=cutoff.isoformat(),
    )
    return deleted
