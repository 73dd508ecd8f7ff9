"""Instance status as the management API reports it (spec 9.2), and the query filters of
``GET/DELETE instances/``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from devhost.durable import history
from devhost.durable.store import TERMINAL, InstanceRow

RUNNING_STATES = {"Pending", "Running", "ContinuedAsNew", "Suspended"}


def short_time(stamp: str) -> str:
    """``yyyy-MM-ddTHH:mm:ssZ`` from the stored ISO time."""
    return stamp[:19] + "Z"


def status_body(row: InstanceRow, show_input: bool = True) -> dict[str, Any]:
    return {
        "name": row.name,
        "instanceId": row.id,
        "runtimeStatus": row.status,
        "input": row.input if show_input else None,
        "customStatus": json.loads(row.custom_status) if row.custom_status else None,
        "output": json.loads(row.output) if row.output else None,
        "createdTime": short_time(row.created),
        "lastUpdatedTime": short_time(row.updated),
    }


def history_view(fragments: list[str], show_output: bool) -> list[dict[str, Any]]:
    """History events with their EventType as a name, as Azure shows them."""
    events = []
    for fragment in fragments:
        event = json.loads(fragment)
        event["EventType"] = history.EVENT_NAMES.get(event["EventType"], event["EventType"])
        if not show_output:
            event.pop("Result", None)
        events.append(event)
    return events


def is_true(query: Mapping[str, str], name: str, default: bool) -> bool:
    value = query.get(name)
    return default if value is None else value.lower() == "true"


def instance_filter(
    query: Mapping[str, str], default_statuses: tuple[str, ...] = ()
) -> tuple[str, tuple[Any, ...]]:
    """SQL condition and arguments for instanceIdPrefix, createdTimeFrom/To, runtimeStatus."""
    conditions, args = ["1"], list[Any]()
    if prefix := query.get("instanceIdPrefix"):
        conditions.append("substr(id, 1, ?) = ?")
        args += [len(prefix), prefix]
    for name, operator in (("createdTimeFrom", ">="), ("createdTimeTo", "<=")):
        if value := query.get(name):
            conditions.append(f"created {operator} ?")
            args.append(history.iso(history.parse_iso(value)))
    statuses = [s for s in query.get("runtimeStatus", "").split(",") if s] or default_statuses
    if statuses:
        conditions.append(f"status IN ({', '.join('?' for _ in statuses)})")
        args += statuses
    return " AND ".join(conditions), tuple(args)


def is_terminal(row: InstanceRow) -> bool:
    return row.status in TERMINAL
