"""Service tests run against both the in-memory fake and SQLite ``:memory:``; tests that need fault
injection ask for ``fake`` (the in-memory store) instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.sqlite import SqliteStore
from saga.ports import DocumentStore
from saga.seed import ensure_item
from tests.fakes import InMemoryStore

# SKU -> (stock, unit price in minor units) of the small catalogue the service tests use.
CATALOGUE = {"a": (10, 1_000), "b": (5, 250)}


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> Iterator[DocumentStore]:
    if request.param == "memory":
        yield InMemoryStore()
        return
    sqlite = SqliteStore(":memory:")
    yield sqlite
    sqlite.close()


@pytest.fixture
def fake() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def stocked(store: DocumentStore) -> DocumentStore:
    """``store`` holding the small catalogue."""
    for sku, (stock, price) in CATALOGUE.items():
        ensure_item(store, sku, stock, price)
    return store


@pytest.fixture
def stocked_fake(fake: InMemoryStore) -> InMemoryStore:
    """``fake`` holding the small catalogue."""
    for sku, (stock, price) in CATALOGUE.items():
        ensure_item(fake, sku, stock, price)
    return fake
