"""Instance status as the management API reports it (spec 9.2), and the query filters of
``GET/DELETE instances/``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devhost.durable import history
from devhost.durable.store import TERMINAL, InstanceRow
from devhost.management.paging import NAME_PARAM

RUNNING_STATES = {"Pending", "Running", "ContinuedAsNew", "Suspended"}


def short_time(stamp: str) -> str:
    """``yyyy-MM-ddTHH:mm:ssZ`` from the stored ISO time."""
    return stamp[:19] + "Z"


def json_value(text: str | None) -> Any:
    """A stored JSON text as the value it encodes: the extension reports input, output and
    custom status as JSON, not as JSON strings. (Stored texts are JSON; a foreign one shows
    as the text.)"""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def status_body(row: InstanceRow, show_input: bool = True) -> dict[str, Any]:
    return {
        "name": row.name,
        "instanceId": row.id,
        "runtimeStatus": row.status,
        "input": json_value(row.input) if show_input else None,
        "customStatus": json_value(row.custom_status),
        "output": json_value(row.output),
        "createdTime": short_time(row.created),
        "lastUpdatedTime": short_time(row.updated),
        "version": row.version,
    }


def is_true(query: Mapping[str, str], name: str, default: bool) -> bool:
    value = query.get(name)
    return default if value is None else value.lower() == "true"


def instance_filter(
    query: Mapping[str, str], default_statuses: tuple[str, ...] = (), only: tuple[str, ...] = ()
) -> tuple[str, tuple[Any, ...]]:
    """SQL condition and arguments for instanceIdPrefix, createdTimeFrom/To (inclusive; a time
    without an offset is UTC), runtimeStatus (names in any case; ``only``: of these alone) and
    the dev host's ``name`` (paging.NAME_PARAM). A malformed time raises ValueError naming its
    parameter."""
    conditions, args = ["1"], list[Any]()
    if prefix := query.get("instanceIdPrefix"):
        conditions.append("substr(id, 1, ?) = ?")
        args += [len(prefix), prefix]
    if orchestrator := query.get(NAME_PARAM):
        conditions.append("name = ?")
        args.append(orchestrator)
    for name, operator in (("createdTimeFrom", ">="), ("createdTimeTo", "<=")):
        if value := query.get(name):
            conditions.append(f"created {operator} ?")
            args.append(history.iso(query_time(name, value)))
    statuses = _statuses(query.get("runtimeStatus", "")) or list(default_statuses)
    if only:
        statuses = [s for s in statuses if s in only] or ["(none)"]  # matches no instance
    if statuses:
        conditions.append(f"status IN ({', '.join('?' for _ in statuses)})")
        args += statuses
    return " AND ".join(conditions), tuple(args)


def query_time(name: str, value: str) -> datetime:
    try:
        return history.parse_iso(value)
    except ValueError:
        raise ValueError(f"'{name}' is not an ISO 8601 time: {value!r}") from None


def _statuses(text: str) -> list[str]:
    """Runtime status names as the host stores them, matched case-insensitively."""
    known = {name.lower(): name for name in (*RUNNING_STATES, *TERMINAL)}
    return [known.get(part.strip().lower(), part.strip()) for part in text.split(",") if part]


def is_terminal(row: InstanceRow) -> bool:
    return row.status in TERMINAL
