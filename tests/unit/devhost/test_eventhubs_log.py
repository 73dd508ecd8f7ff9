"""The durable local event log: partitioning, sequence numbers, checkpoints, durability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devhost.events.log import RETENTION, EventLog, partition_for


@pytest.fixture
def log(tmp_path: Path) -> EventLog:
    return EventLog(str(tmp_path / "events.db"))


def test_partition_of_a_key_is_the_same_in_every_process() -> None:
    # crc32("order-1") is fixed; Python's hash() would change with PYTHONHASHSEED.
    assert partition_for("order-1", 4) == 3769860079 % 4
    assert {partition_for(f"order-{n}", 4) for n in range(50)} == {0, 1, 2, 3}


def test_events_of_one_key_share_a_partition_in_publish_order(log: EventLog) -> None:
    log.append("hub", [("order-1", "a"), ("order-2", "x")])
    log.append("hub", [("order-1", "b"), ("order-1", "c")])

    partition = partition_for("order-1", log.partitions)
    events = [e for e in log.read("hub", partition, -1, 10) if e.partition_key == "order-1"]

    assert [e.body for e in events] == ["a", "b", "c"]
    assert [e.sequence_number for e in events] == sorted(e.sequence_number for e in events)


def test_sequence_numbers_and_byte_offsets_grow_per_partition(log: EventLog) -> None:
    stored = log.append("hub", [("k", "ab"), ("k", "cde"), ("k", "é")])

    assert [(e.sequence_number, e.offset) for e in stored] == [(0, 0), (1, 2), (2, 5)]
    assert [e.offset for e in log.read("hub", stored[0].partition, -1, 10)] == [0, 2, 5]


def test_hubs_are_separate_logs(log: EventLog) -> None:
    log.append("orders", [("k", "a")])
    stored = log.append("payments", [("k", "b")])

    assert stored[0].sequence_number == 0
    assert [e.body for e in log.read("payments", stored[0].partition, -1, 10)] == ["b"]


def test_keyless_events_are_spread_over_the_partitions(log: EventLog) -> None:
    stored = log.append("hub", [(None, str(n)) for n in range(8)])

    assert {e.partition for e in stored} == {0, 1, 2, 3}


def test_read_returns_at_most_limit_events_after_the_given_sequence(log: EventLog) -> None:
    log.append("hub", [("k", str(n)) for n in range(5)])
    partition = partition_for("k", log.partitions)

    assert [e.body for e in log.read("hub", partition, 1, 2)] == ["2", "3"]


def test_checkpoints_are_per_consumer_group_and_survive_reopening(tmp_path: Path) -> None:
    first = EventLog(str(tmp_path / "events.db"))
    first.append("hub", [("k", "a")])
    first.set_checkpoint("hub", "audit", 1, 0)
    first.close()

    reopened = EventLog(str(tmp_path / "events.db"))

    assert reopened.checkpoint("hub", "audit", 1) == 0
    assert reopened.checkpoint("hub", "$Default", 1) == -1
    assert [e.body for e in reopened.read("hub", partition_for("k", 4), -1, 10)] == ["a"]


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 12, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def test_events_past_the_retention_period_expire_and_numbering_goes_on(tmp_path: Path) -> None:
    clock = Clock()
    log = EventLog(str(tmp_path / "events.db"), now=clock, expire_every=1_000)
    (partition,) = {e.partition for e in log.append("hub", [("k", "a"), ("k", "b")])}
    clock.moment += RETENTION + timedelta(seconds=1)

    assert log.expire() == 1  # "b" stays: the partition's newest event carries its numbering
    assert [e.sequence_number for e in log.append("hub", [("k", "c")])] == [2]
    clock.moment += RETENTION + timedelta(seconds=1)
    assert log.expire() == 1
    assert [e.body for e in log.read("hub", partition, -1, 10)] == ["c"]


def test_appending_sweeps_expired_events_now_and_then(tmp_path: Path) -> None:
    clock = Clock()
    log = EventLog(str(tmp_path / "events.db"), now=clock, expire_every=3)
    log.append("hub", [("k", "a"), ("k", "b")])
    clock.moment += RETENTION * 2
    stored = log.append("hub", [("k", "c")])  # the third event since the last sweep

    assert [e.body for e in log.read("hub", stored[0].partition, -1, 10)] == ["c"]
