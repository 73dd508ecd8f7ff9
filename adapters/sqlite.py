"""SQLite document store, the embedded default: one table of JSON documents, each with an ETag
token that changes on every write, so conditional writes behave as they do on Cosmos, and an expiry
time in containers with a time to live (``adapters.expiry``)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from adapters.batch import apply_patch, run_batch
from adapters.documents import ETAG, check_equals, partition_field, to_write
from adapters.expiry import TimeToLive, check_ttl, expires_at
from saga.errors import AlreadyExists, NotFound, PreconditionFailed, StoreUnavailable
from saga.operations import Operation, Patch
from saga.ports import Document

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    container TEXT NOT NULL,
    partition TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    etag TEXT NOT NULL,
    expires REAL,
    PRIMARY KEY (container, partition, id)
) WITHOUT ROWID
"""
# Files made before expiry existed get the column; the index makes the purge of expired documents
# on each insert into a container with a TTL a probe that finds nothing most of the time.
_ADD_EXPIRES = "ALTER TABLE documents ADD COLUMN expires REAL"
_EXPIRES_INDEX = (
    "CREATE INDEX IF NOT EXISTS documents_expires ON documents (container, expires) "
    "WHERE expires IS NOT NULL"
)


class SqliteStore:
    """A ``DocumentStore`` on one SQLite file or ``":memory:"``, safe across threads and processes.

    One connection per store, guarded by a lock: each operation is a single autocommit statement of
    microseconds (a patch or batch one short transaction), and other processes on the same file
    wait up to ``busy_timeout`` for the lock.
    """

    def __init__(
        self,
        path: str,
        busy_timeout: float = 5.0,
        ttl: TimeToLive | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._lock = threading.Lock()
        self._ttl, self._clock = check_ttl(ttl or {}), clock
        with self._guard():
            self._db = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}
            if "expires" not in columns:
                self._db.execute(_ADD_EXPIRES)
            self._db.execute(_EXPIRES_INDEX)

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        """Return the document with its ``_etag``, or None when absent."""
        partition_field(container)
        with self._guard():
            return self.get(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        """Insert ``doc``; AlreadyExists when its id is taken in that partition."""
        body = to_write(container, partition, doc)
        with self._guard():
            return self.insert(container, partition, body)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        """Overwrite ``doc`` only if its stored ETag is ``etag``; else PreconditionFailed."""
        body = to_write(container, partition, doc)
        with self._guard():  # NotFound for a missing document is a PreconditionFailed too
            return self.overwrite(container, partition, body, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        """Apply ``patch`` in one transaction (NotFound; PreconditionFailed if ``where`` fails)."""
        partition_field(container)
        with self._guard(), self._transaction():
            return apply_patch(self, container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        """Run ``operations`` in one transaction: a failure rolls every one of them back."""
        partition_field(container)
        with self._guard(), self._transaction():
            return run_batch(self, container, partition, operations)

    # The primitives ``adapters.batch`` runs on; the caller holds the lock.

    def get(self, container: str, partition: str, doc_id: str) -> Document | None:
        row = self._db.execute(
            "SELECT body, etag FROM documents WHERE container=? AND partition=? AND id=? "
            "AND (expires IS NULL OR expires > ?)",
            (container, partition, doc_id, self._clock()),
        ).fetchone()
        return None if row is None else _document(row)

    def insert(self, container: str, partition: str, body: Document) -> Document:
        etag, now = _new_etag(), self._clock()
        expires = expires_at(self._ttl, container, body, now)
        if container in self._ttl:  # what expired is deleted, so its id is free again
            self._db.execute(
                "DELETE FROM documents WHERE container=? AND expires <= ?", (container, now)
            )
        try:
            self._db.execute(
                "INSERT INTO documents (container, partition, id, body, etag, expires) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (container, partition, body["id"], json.dumps(body), etag, expires),
            )
        except sqlite3.IntegrityError:
            raise AlreadyExists(f"{container}/{partition}/{body['id']} already exists") from None
        return {**body, ETAG: etag}

    def overwrite(
        self, container: str, partition: str, body: Document, etag: str | None
    ) -> Document:
        new_etag, where, now = _new_etag(), (container, partition, body["id"]), self._clock()
        expires = expires_at(self._ttl, container, body, now)
        changed = self._db.execute(
            "UPDATE documents SET body=?, etag=?, expires=? WHERE container=? AND partition=? "
            "AND id=? AND (? IS NULL OR etag=?) AND (expires IS NULL OR expires > ?)",
            (json.dumps(body), new_etag, expires, *where, etag, etag, now),
        ).rowcount
        if changed != 1:
            if self.get(*where) is None:
                raise NotFound(f"{container}/{partition}/{body['id']} does not exist")
            raise PreconditionFailed(f"{container}/{partition}/{body['id']} is not at etag {etag}")
        return {**body, ETAG: new_etag}

    def remove(self, container: str, partition: str, doc_id: str) -> None:
        removed = self._db.execute(
            "DELETE FROM documents WHERE container=? AND partition=? AND id=? "
            "AND (expires IS NULL OR expires > ?)",
            (container, partition, doc_id, self._clock()),
        ).rowcount
        if removed != 1:
            raise NotFound(f"{container}/{partition}/{doc_id} does not exist")

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        """Documents whose top-level fields equal ``equals``, in one partition or across all."""
        partition_field(container)
        check_equals(equals)
        sql = [
            "SELECT body, etag FROM documents WHERE container=? "
            "AND (expires IS NULL OR expires > ?)"
        ]
        params = [container, self._clock()]
        if partition is not None:
            sql.append("partition=?")
            params.append(partition)
        for name, value in equals.items():
            sql.append(_field_test(value))
            params += [f"$.{name}", _sql_value(value)]
        with self._guard():
            rows = self._db.execute(" AND ".join(sql), params).fetchall()
        return [_document(row) for row in rows]

    def close(self) -> None:
        """Close the connection (the store cannot be used afterwards)."""
        with self._guard():
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction (taking the file's write lock up front, so two processes never
        both read before either writes); any exception rolls it back."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled back already (e.g. SQLITE_FULL)
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Serialise use of the connection and report SQLite faults as ``StoreUnavailable``."""
        with self._lock:
            try:
                yield
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"sqlite: {exc}") from exc


def _new_etag() -> str:
    return uuid.uuid4().hex


def _document(row: tuple[str, str]) -> Document:
    body: Document = json.loads(row[0])
    body[ETAG] = row[1]
    return body


def _field_test(value: Any) -> str:
    # json_extract turns JSON true/false into 1/0, so booleans compare by JSON type instead; that
    # keeps `{"paid": True}` from matching `"paid": 1`, as on Cosmos.
    if isinstance(value, bool):
        return "json_type(body, ?) = ?"
    return "json_extract(body, ?) = ?"


def _sql_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
