"""Purging instance history by filter (DELETE instances/?createdTimeFrom=..., spec 9): what the
Durable backends purge, and the state file that purging keeps from growing."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from devhost.testing.client import WEBHOOK, HostClient
from tests.devhost_apps.inprocess import InProcessHost

EVER = "createdTimeFrom=2000-01-01T00:00:00Z"


def purge(client: HostClient, query: str) -> tuple[int, object]:
    reply = client.request("DELETE", f"{WEBHOOK}/instances/?{query}")
    return reply.status, reply.json() if reply.body else None


def run_sagas(client: HostClient, count: int) -> list[str]:
    started = [client.start("sequence", number) for number in range(count)]
    for instance_id in started:
        client.wait(instance_id)
    return started


def test_a_running_instance_is_never_purged_even_when_its_status_is_asked_for(
    client: HostClient,
) -> None:
    waiting = client.start("status_then_wait")
    client.wait_for(waiting, lambda s: s["runtimeStatus"] == "Running")

    assert purge(client, f"{EVER}&runtimeStatus=Running,Pending")[0] == 404
    assert client.status(waiting) is not None


def test_status_names_match_in_any_case_and_only_the_named_ones_are_purged(
    client: HostClient,
) -> None:
    (completed,) = run_sagas(client, 1)
    failed = client.start("uncaught")
    client.wait(failed)

    assert purge(client, f"{EVER}&runtimeStatus=failed") == (200, {"instancesDeleted": 1})
    assert client.status(failed) is None and client.status(completed) is not None


def test_created_time_to_keeps_instances_created_after_it(client: HostClient) -> None:
    (older,) = run_sagas(client, 1)
    cutoff = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # what the Python SDK sends
    time.sleep(0.01)
    newer = client.start("status_then_wait")

    status, body = purge(client, f"{EVER}&createdTimeTo={cutoff}&runtimeStatus=Completed")

    assert (status, body) == (200, {"instancesDeleted": 1})
    assert client.status(older) is None and client.status(newer) is not None


def test_a_malformed_time_is_a_400_that_names_the_parameter(client: HostClient) -> None:
    status, body = purge(client, f"{EVER}&createdTimeTo=yesterday")

    assert status == 400 and "createdTimeTo" in str(body)


def test_a_purge_removes_every_row_of_the_instance(host: InProcessHost, tmp_path: Path) -> None:
    run_sagas(host.client, 1)

    assert purge(host.client, EVER)[0] == 200

    db = sqlite3.connect(tmp_path / "state.db")
    tables = ("instances", "history", "actions", "pending")
    left = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert left == dict.fromkeys(tables, 0)


def test_pages_freed_by_a_purge_are_reused_so_the_state_file_stops_growing(
    host: InProcessHost, tmp_path: Path
) -> None:
    sizes = []
    for _ in range(3):
        run_sagas(host.client, 40)
        purge(host.client, EVER)
        sizes.append(state_pages(tmp_path / "state.db"))

    # Without the purges each round adds as many pages as the first took (43, 77, 110 measured).
    assert sizes[2] <= sizes[0] * 1.2 and abs(sizes[2] - sizes[1]) <= 3, sizes


def state_pages(path: Path) -> int:
    """Pages in use or free in the database, the write-ahead log folded in."""
    db = sqlite3.connect(path)
    try:
        return int(db.execute("PRAGMA page_count").fetchone()[0])
    finally:
        db.close()
