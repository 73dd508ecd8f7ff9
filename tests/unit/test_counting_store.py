"""CountingStore counts one round trip per call, per kind, failed calls included, across threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.sqlite import SqliteStore
from saga.containers import ORDERS
from saga.errors import AlreadyExists
from saga.operations import Patch, Read
from tests.store_contract import StoreContract, order
from tools.bench.counting import KINDS, CountingStore


class TestCountingStorePassesTheContract(StoreContract):
    @pytest.fixture
    def store(self) -> CountingStore:
        return CountingStore(SqliteStore(":memory:"))


def test_each_call_counts_once_under_its_kind() -> None:
    store = CountingStore(SqliteStore(":memory:"))
    created = store.create(ORDERS, "o1", order("o1"))
    store.read(ORDERS, "o1", "o1")
    store.replace(ORDERS, "o1", created, created["_etag"])
    store.query(ORDERS, {}, partition="o1")
    store.query(ORDERS, {})
    store.patch(ORDERS, "o1", Patch("o1", incr={"n": 1}))
    store.batch(ORDERS, "o1", [Read("o1"), Patch("o1", incr={"n": 1})])
    assert store.counts() == {
        "read": 1,
        "create": 1,
        "replace": 1,
        "patch": 1,
        "batch": 1,
        "query": 2,
    }
    assert store.total == 7


def test_failed_calls_count_because_they_were_round_trips() -> None:
    store = CountingStore(SqliteStore(":memory:"))
    store.create(ORDERS, "o1", order("o1"))
    with pytest.raises(AlreadyExists):
        store.create(ORDERS, "o1", order("o1"))
    assert store.counts()["create"] == 2


def test_reset_starts_again_from_zero() -> None:
    store = CountingStore(SqliteStore(":memory:"))
    store.read(ORDERS, "o1", "o1")
    store.reset()
    assert store.counts() == dict.fromkeys(KINDS, 0)
    assert store.total == 0


def test_counts_from_many_threads_are_exact() -> None:
    store = CountingStore(SqliteStore(":memory:"))
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: store.read(ORDERS, "o1", "o1"), range(400)))
    assert store.counts()["read"] == 400
