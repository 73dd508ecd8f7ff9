"""The in-memory fake passes the store contract SQLite and Cosmos pass, and its fault knobs work."""

from __future__ import annotations

import pytest

from saga.containers import LEDGER, ORDERS
from saga.errors import PreconditionFailed, StoreUnavailable
from tests.fakes import InMemoryStore
from tests.store_contract import TTL, Expiring, ExpiryContract, SettableClock, StoreContract, order


class TestInMemoryStore(StoreContract, ExpiryContract):
    @pytest.fixture
    def store(self) -> InMemoryStore:
        return InMemoryStore()

    @pytest.fixture
    def expiring(self) -> Expiring:
        clock = SettableClock()
        return InMemoryStore(ttl={LEDGER: TTL}, clock=clock), clock.wait


def test_fail_next_fails_exactly_that_many_calls_of_that_operation() -> None:
    store = InMemoryStore()
    store.fail_next("read", times=2)
    for _ in range(2):
        with pytest.raises(StoreUnavailable):
            store.read(ORDERS, "o1", "o1")
    store.create(ORDERS, "o1", order("o1"))
    assert store.read(ORDERS, "o1", "o1") is not None
    assert store.calls["read"] == 3


def test_a_hooked_competing_write_makes_the_replace_meet_a_stale_etag() -> None:
    store = InMemoryStore()
    created = store.create(ORDERS, "o1", order("o1", step=1))
    store.before_replace(lambda container, partition, doc: store.bump(container, partition, "o1"))
    with pytest.raises(PreconditionFailed):
        store.replace(ORDERS, "o1", {**created, "step": 2}, created["_etag"])
    fresh = store.read(ORDERS, "o1", "o1")
    assert fresh is not None and fresh["step"] == 1
    assert store.replace(ORDERS, "o1", {**fresh, "step": 2}, fresh["_etag"])["step"] == 2
