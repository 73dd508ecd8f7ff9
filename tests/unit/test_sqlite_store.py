"""SqliteStore passes the store contract in memory, on a file, and with two handles on one file
(the view two processes have); plus SQLite specifics: WAL, faults as StoreUnavailable."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.sqlite import SqliteStore
from saga.containers import LEDGER, ORDERS
from saga.errors import StoreUnavailable
from tests.store_contract import (
    TTL,
    Expiring,
    ExpiryContract,
    SettableClock,
    StoreContract,
    order,
)


class TestSqliteStoreInMemory(StoreContract, ExpiryContract):
    @pytest.fixture
    def store(self) -> Iterator[SqliteStore]:
        store = SqliteStore(":memory:")
        yield store
        store.close()

    @pytest.fixture
    def expiring(self) -> Expiring:
        clock = SettableClock()
        return SqliteStore(":memory:", ttl={LEDGER: TTL}, clock=clock), clock.wait


class TestSqliteStoreOnAFile(StoreContract, ExpiryContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteStore]:
        store = SqliteStore(str(tmp_path / "saga.db"))
        yield store
        store.close()

    @pytest.fixture
    def expiring(self, tmp_path: Path) -> Expiring:
        clock = SettableClock()
        return SqliteStore(str(tmp_path / "saga.db"), ttl={LEDGER: TTL}, clock=clock), clock.wait


class TestTwoSqliteStoresOnOneFile(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteStore]:
        store = SqliteStore(str(tmp_path / "saga.db"))
        yield store
        store.close()

    @pytest.fixture
    def peer(self, tmp_path: Path, store: SqliteStore) -> Iterator[SqliteStore]:
        peer = SqliteStore(str(tmp_path / "saga.db"))
        yield peer
        peer.close()


def test_a_file_made_before_expiry_existed_gains_the_column_and_keeps_its_documents(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "saga.db")
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TABLE documents (container TEXT NOT NULL, partition TEXT NOT NULL, "
            "id TEXT NOT NULL, body TEXT NOT NULL, etag TEXT NOT NULL, "
            "PRIMARY KEY (container, partition, id)) WITHOUT ROWID"
        )
        raw.execute(
            "INSERT INTO documents VALUES ('orders', 'o1', 'o1', ?, 'e1')",
            ('{"id": "o1", "order_id": "o1"}',),
        )
    store = SqliteStore(path, ttl={LEDGER: 60})
    assert store.read(ORDERS, "o1", "o1") == {"id": "o1", "order_id": "o1", "_etag": "e1"}
    assert store.create(LEDGER, "o1", {"id": "x", "order_id": "o1"})["id"] == "x"
    store.close()


def test_a_file_store_uses_write_ahead_logging_and_survives_reopening(tmp_path: Path) -> None:
    path = str(tmp_path / "saga.db")
    first = SqliteStore(path)
    created = first.create(ORDERS, "o1", order("o1", status="new"))
    first.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert SqliteStore(path).read(ORDERS, "o1", "o1") == created


def test_a_locked_database_is_reported_as_store_unavailable(tmp_path: Path) -> None:
    path = str(tmp_path / "saga.db")
    store = SqliteStore(path, busy_timeout=0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="locked"):
            store.create(ORDERS, "o1", order("o1"))
    finally:
        holder.rollback()
        holder.close()
    store.create(ORDERS, "o1", order("o1"))


def test_an_unopenable_path_is_reported_as_store_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable):
        SqliteStore(str(tmp_path / "missing-dir" / "saga.db"))
