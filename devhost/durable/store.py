"""Durable state in SQLite (WAL): instances, their append-only history, and pending work
(activities not yet completed, armed timers, undelivered events), plus the entity tables
(entities/store.py). An episode's results are written in one transaction; on restart the tables
are the whole truth."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from operator import attrgetter
from pathlib import Path

from devhost.durable.entities import store as entity_tables

_SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, input TEXT, output TEXT,
    custom_status TEXT, created TEXT NOT NULL, updated TEXT NOT NULL, execution_id TEXT NOT NULL,
    next_id INTEGER NOT NULL, consumed INTEGER NOT NULL, extra TEXT NOT NULL, parent TEXT,
    version TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS instances_by_status ON instances (status);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances (created, id);
CREATE TABLE IF NOT EXISTS history (
    instance_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actions (
    instance_id TEXT NOT NULL, position INTEGER NOT NULL, signature TEXT NOT NULL,
    PRIMARY KEY (instance_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (
    instance_id TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, due TEXT, data TEXT NOT NULL,
    PRIMARY KEY (instance_id, key));
"""
TERMINAL = ("Completed", "Failed", "Terminated", "Canceled")


@dataclass
class InstanceRow:
    id: str
    name: str
    status: str
    input: str | None  # JSON text
    output: str | None  # JSON text
    custom_status: str | None  # JSON text
    created: str
    updated: str
    execution_id: str
    next_id: int = 0
    consumed: int = 0
    extra: str = '{"retries": {}, "timers": {}}'  # Runtime.extra_json()
    parent: str | None = None  # JSON {"id", "task_id", "execution_id"} for sub-orchestrations
    version: str = ""  # the orchestration version, fixed when the instance is created


@dataclass(frozen=True)
class PendingRow:
    instance_id: str
    key: str  # a<id> activity, t<id> timer, x start, e<n> raised event, r<id> child result
    kind: str  # "activity" | "timer" | "event"
    due: str | None
    data: str  # JSON


_COLUMNS = ", ".join(f.name for f in fields(InstanceRow))
_MARKS = ", ".join("?" for _ in fields(InstanceRow))
# Column values in table order; dataclasses.astuple deep-copies every value, which showed up in
# profiles of the episode commit.
_instance_values = attrgetter(*(f.name for f in fields(InstanceRow)))
_pending_values = attrgetter(*(f.name for f in fields(PendingRow)))


class Transaction(entity_tables.EntityWrites):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def put_instance(self, row: InstanceRow) -> None:
        self._db.execute(
            f"INSERT OR REPLACE INTO instances VALUES ({_MARKS})", _instance_values(row)
        )

    def append_history(self, instance_id: str, first_seq: int, events: list[str]) -> None:
        rows = ((instance_id, first_seq + i, e) for i, e in enumerate(events))
        self._db.executemany("INSERT INTO history VALUES (?, ?, ?)", rows)

    def append_actions(self, instance_id: str, first: int, signatures: list[str]) -> None:
        rows = ((instance_id, first + i, s) for i, s in enumerate(signatures))
        self._db.executemany("INSERT INTO actions VALUES (?, ?, ?)", rows)

    def add_pending(self, rows: Iterable[PendingRow]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?)", map(_pending_values, rows)
        )

    def delete_pending(self, instance_id: str, keys: Iterable[str]) -> None:
        rows = ((instance_id, key) for key in keys)
        self._db.executemany("DELETE FROM pending WHERE instance_id = ? AND key = ?", rows)

    def clear_pending(self, instance_id: str, keep_raised_events: bool = False) -> None:
        which = "key NOT LIKE 'e%'" if keep_raised_events else "1"
        self._db.execute(f"DELETE FROM pending WHERE instance_id = ? AND {which}", (instance_id,))

    def clear_history(self, instance_id: str) -> None:
        """The history and the action signatures of the current execution."""
        self._db.execute("DELETE FROM history WHERE instance_id = ?", (instance_id,))
        self._db.execute("DELETE FROM actions WHERE instance_id = ?", (instance_id,))

    def delete_instance(self, instance_id: str) -> None:
        self.clear_history(instance_id)
        self.clear_pending(instance_id)
        self._db.execute("DELETE FROM instances WHERE id = ?", (instance_id,))


class Store(entity_tables.EntityReads):
    def __init__(self, path: str | Path) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Worker threads record activity completions on this connection too (record_completion);
        # the lock keeps their writes out of the loop's transactions.
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._write_lock = threading.RLock()  # re-entrant: a nested BEGIN fails, not hangs
        self._db.execute("PRAGMA journal_mode=WAL")
        # Under WAL, NORMAL keeps every commit atomic and durable across a process crash (kill -9);
        # only an OS crash may lose the last commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA + entity_tables.SCHEMA)
        self._add_version_column()

    def _add_version_column(self) -> None:
        """State files written before versioning have no version column: add it."""
        columns = {r[1] for r in self._db.execute("PRAGMA table_info(instances)")}
        if "version" not in columns:
            self._db.execute("ALTER TABLE instances ADD COLUMN version TEXT NOT NULL DEFAULT ''")

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._write_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def record_completion(self, instance_id: str, key: str, execution_id: str, event: str) -> None:
        """From any thread, committed before it returns: the activity's pending row becomes its
        completion event, which recovery delivers instead of running the activity again. Nothing
        is written if the row is gone (the instance ended) or belongs to a newer execution."""
        with self._write_lock:
            self._db.execute(
                "UPDATE pending SET kind = 'event', data = ? WHERE instance_id = ? AND key = ?"
                " AND kind = 'activity' AND json_extract(data, '$.execution') = ?",
                (event, instance_id, key, execution_id),
            )

    def instance(self, instance_id: str) -> InstanceRow | None:
        rows = self.instances("id = ?", (instance_id,))
        return rows[0] if rows else None

    def instances(
        self,
        where: str = "1",
        args: tuple[object, ...] = (),
        order: str = "created, id",
        limit: int | None = None,
    ) -> list[InstanceRow]:
        """Rows matching a SQL condition on the instances table, oldest first unless ``order``
        says otherwise (the (created, id) index serves both directions)."""
        sql = f"SELECT {_COLUMNS} FROM instances WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [InstanceRow(*r) for r in self._db.execute(sql, args)]

    def unfinished(self) -> list[InstanceRow]:
        marks = ", ".join("?" for _ in TERMINAL)
        return self.instances(f"status NOT IN ({marks})", TERMINAL)

    def history(self, instance_id: str) -> list[str]:
        sql = "SELECT event FROM history WHERE instance_id = ? ORDER BY seq"
        return [r[0] for r in self._db.execute(sql, (instance_id,))]

    def action_signatures(self, instance_id: str) -> list[str]:
        sql = "SELECT signature FROM actions WHERE instance_id = ? ORDER BY position"
        return [r[0] for r in self._db.execute(sql, (instance_id,))]

    def pending(self, instance_id: str) -> list[PendingRow]:
        sql = "SELECT * FROM pending WHERE instance_id = ? ORDER BY rowid"
        return [PendingRow(*r) for r in self._db.execute(sql, (instance_id,))]

    def close(self) -> None:
        self._db.close()
