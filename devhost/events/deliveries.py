"""Who handled which event, for the dashboard: every batch a consumer group's function was given
(when, and whether it raised), and for each published event the handler that published it: the
delivery of its partition key in flight at that moment. When several are, the one whose thread is
inside its handler and waiting on I/O (the publish call itself) is taken; if that still leaves
several, all are named. Capped, oldest rows dropped."""

from __future__ import annotations

import inspect
import itertools
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import CodeType, FrameType
from typing import Any

from devhost.events.log import StoredEvent

MAX_ROWS = 100_000  # per table; pruned in chunks so the cap costs little
_PRUNE_EVERY = 1_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    hub TEXT NOT NULL, consumer_group TEXT NOT NULL, function TEXT NOT NULL,
    partition INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    started TEXT NOT NULL, finished TEXT NOT NULL, error TEXT);
CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries (hub, partition, last_seq);
CREATE TABLE IF NOT EXISTS causes (
    hub TEXT NOT NULL, partition INTEGER NOT NULL, sequence_number INTEGER NOT NULL,
    consumer_group TEXT NOT NULL, function TEXT NOT NULL,
    cause_partition INTEGER NOT NULL, cause_sequence INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS causes_by_event ON causes (hub, partition, sequence_number);
"""


@dataclass
class InFlight:
    """One batch being handled: its last event of each partition key."""

    hub: str
    consumer_group: str
    function: str
    partition: int
    first_seq: int
    last_seq: int
    last_of_key: dict[str | None, int]
    started: datetime
    code: CodeType | None  # the handler's code, to find its thread


# Innermost frames of a thread blocked on the network: a handler waiting on its publish call.
_WAITING_IN = ("socket.py", "ssl.py", "client.py", "selectors.py", "connection.py")


def code_of(function: Callable[..., Any]) -> CodeType | None:
    return getattr(inspect.unwrap(function), "__code__", None)


def _stack_codes(frame: FrameType | None) -> set[CodeType]:
    codes = set()
    while frame is not None:
        codes.add(frame.f_code)
        frame = frame.f_back
    return codes


def waiting_handlers(batches: list[InFlight]) -> list[InFlight]:
    """The batches whose handler is on some thread's stack with that thread blocked on I/O."""
    blocked = [
        _stack_codes(frame)
        for frame in sys._current_frames().values()
        if frame.f_code.co_filename.endswith(_WAITING_IN)
    ]
    return [b for b in batches if b.code is not None and any(b.code in s for s in blocked)]


def _cause_row(hub: str, event: StoredEvent, batch: InFlight) -> tuple[object, ...]:
    cause = batch.last_of_key[event.partition_key]
    published = (hub, event.partition, event.sequence_number)
    return (*published, batch.consumer_group, batch.function, batch.partition, cause)


class DeliveryLog:
    def __init__(self, path: str, now: Callable[[], datetime]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._ids = itertools.count()
        self._in_flight: dict[int, InFlight] = {}
        self._writes = 0
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def begin(
        self,
        hub: str,
        group: str,
        function: str,
        batch: Sequence[StoredEvent],
        code: CodeType | None = None,
    ) -> int:
        """Note that ``function`` (of ``group``) is now handling ``batch``; returns a handle."""
        handle = next(self._ids)
        last_of_key = {event.partition_key: event.sequence_number for event in batch}
        first, last = batch[0], batch[-1]
        self._in_flight[handle] = InFlight(
            hub,
            group,
            function,
            first.partition,
            first.sequence_number,
            last.sequence_number,
            last_of_key,
            self._now(),
            code,
        )
        return handle

    def end(self, handle: int, error: str | None) -> None:
        batch = self._in_flight.pop(handle)
        row = (
            batch.hub,
            batch.consumer_group,
            batch.function,
            batch.partition,
            batch.first_seq,
            batch.last_seq,
            batch.started.isoformat(),
            self._now().isoformat(),
            error,
        )
        self._write("INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [row])

    def published(self, hub: str, events: Sequence[StoredEvent]) -> None:
        """Record, for each event just appended, the in-flight batch that published it."""
        rows = [
            _cause_row(hub, event, batch)
            for event in events
            for batch in self._publishers_of(hub, event.partition_key)
        ]
        if rows:
            self._write("INSERT INTO causes VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _publishers_of(self, hub: str, key: str | None) -> list[InFlight]:
        if key is None:
            return []
        batches = [b for b in self._in_flight.values() if b.hub == hub and key in b.last_of_key]
        if len(batches) > 1:
            return waiting_handlers(batches) or batches
        return batches

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _write(self, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
        with self._lock:
            self._db.executemany(sql, rows)
            self._writes += 1
            if self._writes % _PRUNE_EVERY == 0:
                for table in ("deliveries", "causes"):
                    self._db.execute(
                        f"DELETE FROM {table} WHERE rowid <= (SELECT max(rowid) FROM {table}) - ?",
                        (MAX_ROWS,),
                    )
