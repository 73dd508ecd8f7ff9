"""The dev host's durable local Event Hubs: per hub a fixed set of partitions, each an append-only
sequence of events, and consumer-group checkpoints per partition (SQLite, WAL). Events expire after
the retention period, as in Azure, so the log does not grow without bound."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_PARTITIONS = 4
# As an Event Hub created with the default message retention: older events are dropped whether or
# not every consumer group has read them.
RETENTION = timedelta(days=1)
EXPIRE_EVERY = 500  # appended events between two sweeps of expired ones

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    hub TEXT NOT NULL, partition INTEGER NOT NULL, sequence_number INTEGER NOT NULL,
    byte_offset INTEGER NOT NULL, partition_key TEXT, body TEXT NOT NULL,
    enqueued_time TEXT NOT NULL,
    PRIMARY KEY (hub, partition, sequence_number)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    hub TEXT NOT NULL, consumer_group TEXT NOT NULL, partition INTEGER NOT NULL,
    sequence_number INTEGER NOT NULL,
    PRIMARY KEY (hub, consumer_group, partition)) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class StoredEvent:
    """One event as the log holds it; offsets are byte positions in the partition, as in Azure."""

    partition: int
    sequence_number: int
    offset: int
    partition_key: str | None
    body: str
    enqueued_time: datetime


def _event(row: tuple[int, int, int, str | None, str, str]) -> StoredEvent:
    partition, sequence, offset, key, body, enqueued = row
    return StoredEvent(partition, sequence, offset, key, body, datetime.fromisoformat(enqueued))


def partition_for(partition_key: str, partitions: int) -> int:
    """Stable partition of a key (crc32, unlike Python's per-process randomised ``hash``)."""
    return zlib.crc32(partition_key.encode()) % partitions


class EventLog:
    """Append, read and checkpoint; safe to share between threads."""

    def __init__(
        self,
        path: str,
        partitions: int = DEFAULT_PARTITIONS,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        retention: timedelta = RETENTION,
        expire_every: int = EXPIRE_EVERY,
    ) -> None:
        self.partitions = partitions
        self._now = now
        self._retention, self._expire_every, self._since_sweep = retention, expire_every, 0
        self._round_robin = itertools.count()
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process: the crash the dev host promises to survive.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def append(self, hub: str, events: Sequence[tuple[str | None, str]]) -> list[StoredEvent]:
        """Durably append ``(partition_key, body)`` pairs atomically; keyless ones round-robin."""
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            stored = [self._append_one(hub, key, body) for key, body in events]
            self._since_sweep += len(stored)
            if self._since_sweep >= self._expire_every:
                self._since_sweep = 0
                self._expire()
            return stored

    def expire(self) -> int:
        """Drop the events enqueued before the retention period; returns how many."""
        with self._lock:
            return self._expire()

    def read(self, hub: str, partition: int, after: int, limit: int) -> list[StoredEvent]:
        """Up to ``limit`` events of a partition with sequence numbers above ``after``, in order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT partition, sequence_number, byte_offset, partition_key, body, enqueued_time"
                " FROM events WHERE hub=? AND partition=? AND sequence_number>?"
                " ORDER BY sequence_number LIMIT ?",
                (hub, partition, after, limit),
            ).fetchall()
        return [_event(row) for row in rows]

    def checkpoint(self, hub: str, consumer_group: str, partition: int) -> int:
        """The last sequence number the group has finished with, -1 before the first event."""
        with self._lock:
            row = self._db.execute(
                "SELECT sequence_number FROM checkpoints"
                " WHERE hub=? AND consumer_group=? AND partition=?",
                (hub, consumer_group, partition),
            ).fetchone()
        return -1 if row is None else int(row[0])

    def set_checkpoint(self, hub: str, consumer_group: str, partition: int, sequence: int) -> None:
        """Record that the group is done with every event up to ``sequence`` in the partition."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO checkpoints VALUES (?, ?, ?, ?)",
                (hub, consumer_group, partition, sequence),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _expire(self) -> int:
        # The newest event of a partition stays: the next sequence number and offset follow it.
        cutoff = (self._now() - self._retention).isoformat()
        return self._db.execute(
            "DELETE FROM events WHERE enqueued_time < ? AND sequence_number < (SELECT"
            " max(sequence_number) FROM events AS newest"
            " WHERE newest.hub = events.hub AND newest.partition = events.partition)",
            (cutoff,),
        ).rowcount

    def _append_one(self, hub: str, key: str | None, body: str) -> StoredEvent:
        partition = (
            next(self._round_robin) % self.partitions
            if key is None
            else partition_for(key, self.partitions)
        )
        last = self._db.execute(
            "SELECT sequence_number, byte_offset + length(CAST(body AS BLOB)) FROM events"
            " WHERE hub=? AND partition=? ORDER BY sequence_number DESC LIMIT 1",
            (hub, partition),
        ).fetchone()
        sequence, offset = (0, 0) if last is None else (last[0] + 1, last[1])
        event = StoredEvent(partition, sequence, offset, key, body, self._now())
        self._db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
            (hub, partition, sequence, offset, key, body, event.enqueued_time.isoformat()),
        )
        return event
