"""The entity tables, in the same SQLite file and transactions as the instances: one row per
existing entity (its state), and the queue of operation requests each entity has yet to process.
A request is queued in the sender's transaction and removed in the batch's (spec 11.4)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, state TEXT,
    updated TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (name, key);
CREATE TABLE IF NOT EXISTS entity_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL, message TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entity_queue_by_entity ON entity_queue (entity_id, seq);
"""


@dataclass(frozen=True)
class EntityRow:
    """An entity that exists; ``state`` is the JSON text the SDK returned."""

    id: str  # @name@key
    name: str
    key: str
    state: str | None
    updated: str  # the time of its last batch


@dataclass(frozen=True)
class Queued:
    seq: int
    message: str  # the request message, JSON


class EntityWrites:
    """The entity half of a store transaction (mixed into ``Transaction``)."""

    _db: sqlite3.Connection

    def enqueue(self, messages: Iterable[tuple[str, str]]) -> None:
        """Queue (entity id, request JSON) pairs, in order."""
        self._db.executemany(
            "INSERT INTO entity_queue (entity_id, message) VALUES (?, ?)", messages
        )

    def dequeue(self, entity_id: str, last_seq: int) -> None:
        sql = "DELETE FROM entity_queue WHERE entity_id = ? AND seq <= ?"
        self._db.execute(sql, (entity_id, last_seq))

    def put_entity(self, row: EntityRow) -> None:
        sql = "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?)"
        self._db.execute(sql, (row.id, row.name, row.key, row.state, row.updated))

    def delete_entity(self, entity_id: str) -> None:
        self._db.execute("DELETE FROM entities WHERE id = ?", (entity_id,))


class EntityReads:
    """The entity queries of the store (mixed into ``Store``)."""

    _db: sqlite3.Connection

    def entity(self, entity_id: str) -> EntityRow | None:
        found = self._db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return EntityRow(*found) if found else None

    def entities(
        self, name: str | None, updated_from: str | None, updated_to: str | None
    ) -> list[EntityRow]:
        """Existing entities, by name and key; ``name`` None means all; times are ISO text."""
        sql = "SELECT * FROM entities WHERE (? IS NULL OR name = ?)"
        sql += " AND (? IS NULL OR updated >= ?) AND (? IS NULL OR updated <= ?) ORDER BY name, key"
        args = (name, name, updated_from, updated_from, updated_to, updated_to)
        return [EntityRow(*r) for r in self._db.execute(sql, args)]

    def queued(self, entity_id: str, limit: int) -> list[Queued]:
        sql = "SELECT seq, message FROM entity_queue WHERE entity_id = ? ORDER BY seq LIMIT ?"
        return [Queued(*r) for r in self._db.execute(sql, (entity_id, limit))]

    def entities_with_queued(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT DISTINCT entity_id FROM entity_queue")]
