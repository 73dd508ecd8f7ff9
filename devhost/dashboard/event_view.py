"""The local Event Hubs as JSON for the dashboard, read from the event log's file: hubs,
partitions, consumer groups with checkpoint and lag, and one partition key's events with who
published and who handled each (devhost.deliveries)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any


def _rows(db: sqlite3.Connection, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows, or none while the table does not exist yet (no event published so far)."""
    try:
        return db.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return []


def hubs_overview(
    db: sqlite3.Connection, groups: dict[str, dict[str, list[str]]]
) -> dict[str, Any]:
    """``groups``: hub -> consumer group -> the functions reading it (from the app's triggers)."""
    partitions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for hub, partition, count, last, enqueued in _rows(
        db,
        "SELECT hub, partition, count(*), max(sequence_number), max(enqueued_time)"
        " FROM events GROUP BY hub, partition ORDER BY hub, partition",
    ):
        partitions[hub].append(
            {"id": partition, "events": count, "last_sequence": last, "last_enqueued": enqueued}
        )
    checkpoints: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for hub, group, partition, sequence in _rows(db, "SELECT * FROM checkpoints"):
        checkpoints[hub, group][partition] = sequence
    hubs = sorted(set(partitions) | set(groups))
    return {"hubs": [_hub(h, partitions[h], groups.get(h, {}), checkpoints) for h in hubs]}


def _hub(
    hub: str,
    partitions: list[dict[str, Any]],
    functions: dict[str, list[str]],
    checkpoints: dict[tuple[str, str], dict[int, int]],
) -> dict[str, Any]:
    names = sorted(set(functions) | {g for h, g in checkpoints if h == hub})
    consumer_groups = []
    for group in names:
        done = checkpoints.get((hub, group), {})
        per_partition = [
            {
                "id": p["id"],
                "checkpoint": done.get(p["id"], -1),
                "lag": p["last_sequence"] - done.get(p["id"], -1),
            }
            for p in partitions
        ]
        consumer_groups.append(
            {
                "name": group,
                "functions": functions.get(group, []),
                "partitions": per_partition,
                "lag": sum(p["lag"] for p in per_partition),
            }
        )
    return {"name": hub, "partitions": partitions, "consumer_groups": consumer_groups}


def key_events_empty(hub: str, key: str, groups: Iterable[str]) -> dict[str, Any]:
    return {"hub": hub, "partition_key": key, "consumer_groups": sorted(groups), "events": []}


def key_events(db: sqlite3.Connection, hub: str, key: str, groups: Iterable[str]) -> dict[str, Any]:
    """The events of one partition key in order, with their deliveries and causes."""
    rows = _rows(
        db,
        "SELECT partition, sequence_number, byte_offset, body, enqueued_time FROM events"
        " WHERE hub = ? AND partition_key = ? ORDER BY partition, sequence_number",
        (hub, key),
    )
    events = [_event(db, hub, row) for row in rows]
    handled: dict[tuple[int, int], list[str]] = defaultdict(list)
    for event in events:
        for cause in event["published_by"]:
            handled[cause["partition"], cause["sequence_number"]].append(cause["consumer_group"])
    first = datetime.fromisoformat(events[0]["enqueued_time"]) if events else None
    for event in events:
        event["handled_by"] = sorted(set(handled[event["partition"], event["sequence_number"]]))
        moment = datetime.fromisoformat(event["enqueued_time"])
        event["offset_ms"] = (moment - first).total_seconds() * 1000 if first else 0
    lanes = sorted(set(groups) | {d["consumer_group"] for e in events for d in e["deliveries"]})
    return {"hub": hub, "partition_key": key, "consumer_groups": lanes, "events": events}


def _event(db: sqlite3.Connection, hub: str, row: tuple[Any, ...]) -> dict[str, Any]:
    partition, sequence, offset, body, enqueued = row
    deliveries = _rows(
        db,
        "SELECT consumer_group, function, started, finished, error FROM deliveries"
        " WHERE hub = ? AND partition = ? AND last_seq >= ? AND first_seq <= ? ORDER BY started",
        (hub, partition, sequence, sequence),
    )
    causes = _rows(
        db,
        "SELECT DISTINCT consumer_group, function, cause_partition, cause_sequence FROM causes"
        " WHERE hub = ? AND partition = ? AND sequence_number = ?",
        (hub, partition, sequence),
    )
    return {
        "partition": partition,
        "sequence_number": sequence,
        "offset": offset,
        "enqueued_time": enqueued,
        "type": event_type(body),
        "body_text": body,
        "deliveries": [
            {"consumer_group": g, "function": f, "started": s, "finished": e, "error": err}
            for g, f, s, e, err in deliveries
        ],
        "published_by": [
            {"consumer_group": g, "function": f, "partition": p, "sequence_number": s}
            for g, f, p, s in causes
        ],
    }


def event_type(body: str) -> str:
    """A JSON body's ``type`` (or ``eventType``), else the start of the body."""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for field in ("type", "eventType", "event_type"):
            if isinstance(parsed.get(field), str):
                return str(parsed[field])
    return body[:40]
