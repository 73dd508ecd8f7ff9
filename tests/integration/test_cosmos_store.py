"""CosmosStore passes the store contract against the Cosmos protocol server, with a second client
as the peer; plus Cosmos specifics: system fields stripped, no provisioning, StoreUnavailable."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from adapters.cosmos import CosmosStore
from saga.containers import LEDGER, ORDERS
from saga.errors import StoreUnavailable
from tests.store_contract import TTL, Expiring, ExpiryContract, StoreContract, order

StoreMaker = Callable[..., CosmosStore]


class TestCosmosStore(StoreContract, ExpiryContract):
    race_threads = 4

    @pytest.fixture
    def expiring(self, make_cosmos_store: StoreMaker) -> Expiring:
        """The ledger container created with ``default_ttl``; Cosmos keeps its own time."""
        return make_cosmos_store(ttl={LEDGER: TTL}), time.sleep

    @pytest.fixture
    def store(self, make_cosmos_store: StoreMaker) -> CosmosStore:
        return make_cosmos_store()

    @pytest.fixture
    def peer(self, make_cosmos_store: StoreMaker, store: CosmosStore) -> CosmosStore:
        store.ensure_containers()  # so the peer does not race the store to create them
        return make_cosmos_store()


def test_documents_come_back_without_cosmos_system_fields(make_cosmos_store: StoreMaker) -> None:
    store = make_cosmos_store()
    created = store.create(ORDERS, "o1", order("o1"))
    for doc in (created, store.read(ORDERS, "o1", "o1"), *store.query(ORDERS, {})):
        assert doc is not None
        assert set(doc) == {"id", "order_id", "_etag"}


def test_a_store_without_provisioning_uses_existing_containers(
    make_cosmos_store: StoreMaker,
) -> None:
    created = make_cosmos_store().create(ORDERS, "o1", order("o1"))
    assert make_cosmos_store(provision=False).read(ORDERS, "o1", "o1") == created


def test_an_unreachable_server_is_reported_as_store_unavailable(
    make_cosmos_store: StoreMaker,
) -> None:
    store = make_cosmos_store(
        "https://127.0.0.1:9/", client_options={"retry_total": 0, "connection_timeout": 1}
    )
    with pytest.raises(StoreUnavailable):
        store.read(ORDERS, "o1", "o1")
