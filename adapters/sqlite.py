"""SQLite document store, the embedded default: one table of JSON documents, each with an ETag
token that changes on every write, so conditional writes behave as they do on Cosmos."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from adapters.documents import ETAG, check_equals, partition_field, to_write
from saga.errors import AlreadyExists, PreconditionFailed, StoreUnavailable
from saga.ports import Document

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    container TEXT NOT NULL,
    partition TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    etag TEXT NOT NULL,
    PRIMARY KEY (container, partition, id)
) WITHOUT ROWID
"""


class SqliteStore:
    """A ``DocumentStore`` on one SQLite file or ``":memory:"``, safe across threads and processes.

    One connection per store, guarded by a lock: each operation is a single autocommit statement of
    microseconds, and other processes on the same file wait up to ``busy_timeout`` for the lock.
    """

    def __init__(self, path: str, busy_timeout: float = 5.0) -> None:
        self._lock = threading.Lock()
        with self._guard():
            self._db = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            if path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        """Return the document with its ``_etag``, or None when absent."""
        partition_field(container)
        with self._guard():
            row = self._db.execute(
                "SELECT body, etag FROM documents WHERE container=? AND partition=? AND id=?",
                (container, partition, doc_id),
            ).fetchone()
        return None if row is None else _document(row)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        """Insert ``doc``; AlreadyExists when its id is taken in that partition."""
        body, etag = to_write(container, partition, doc), _new_etag()
        try:
            with self._guard():
                self._db.execute(
                    "INSERT INTO documents (container, partition, id, body, etag) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (container, partition, body["id"], json.dumps(body), etag),
                )
        except sqlite3.IntegrityError:
            raise AlreadyExists(f"{container}/{partition}/{body['id']} already exists") from None
        return {**body, ETAG: etag}

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        """Overwrite ``doc`` only if its stored ETag is ``etag``; else PreconditionFailed."""
        body, new_etag = to_write(container, partition, doc), _new_etag()
        with self._guard():
            changed = self._db.execute(
                "UPDATE documents SET body=?, etag=? "
                "WHERE container=? AND partition=? AND id=? AND etag=?",
                (json.dumps(body), new_etag, container, partition, body["id"], etag),
            ).rowcount
        if changed != 1:
            raise PreconditionFailed(f"{container}/{partition}/{body['id']} is not at etag {etag}")
        return {**body, ETAG: new_etag}

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        """Documents whose top-level fields equal ``equals``, in one partition or across all."""
        partition_field(container)
        check_equals(equals)
        sql, params = ["SELECT body, etag FROM documents WHERE container=?"], [container]
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
