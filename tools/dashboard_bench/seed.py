"""A state file with many finished instances, written through the dev host's own store, for the
dashboard's paging test and bench (finished only: nothing for the host to resume)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from devhost.durable import history
from devhost.durable.store import InstanceRow, Store

NAMES = ("sequential_saga", "parallel_saga")
OUTCOMES = ("completed", "compensated", "compensated", "compensation_failed")


def seeded_row(n: int, start: datetime) -> InstanceRow:
    created = start + timedelta(seconds=n)
    outcome = OUTCOMES[n % len(OUTCOMES)]
    custom = {"saga_status": outcome, "current_step": "", "completed_steps": []}
    return InstanceRow(
        id=f"seeded-{n:06d}",
        name=NAMES[n % len(NAMES)],
        status="Failed" if n % 97 == 0 else "Completed",
        input=json.dumps({"order_id": str(n)}),
        output=json.dumps({"status": outcome}),
        custom_status=json.dumps(custom),
        created=history.iso(created),
        updated=history.iso(created + timedelta(milliseconds=20 + (n * 37) % 3000)),
        execution_id=f"x{n}",
    )


def seed_state(path: Path, count: int, start: datetime | None = None) -> None:
    """Write ``count`` finished instances into the state file at ``path``."""
    # Recent by default: older than the app's history retention, they would be purged.
    begin = start or datetime.now(UTC) - timedelta(seconds=count)
    store = Store(path)
    try:
        with store.transaction() as tx:
            for n in range(count):
                tx.put_instance(seeded_row(n, begin))
    finally:
        store.close()
