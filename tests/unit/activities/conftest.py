"""Activity tests run against a seeded in-memory SQLite store injected into the composition root,
with failure injection on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import composition
from adapters.sqlite import SqliteStore
from config import Settings
from saga.seed import seed_demo_data


@pytest.fixture
def store() -> Iterator[SqliteStore]:
    store = SqliteStore(":memory:")
    seed_demo_data(store)
    composition.override(store=store, settings=Settings(saga_fault_injection=True))
    yield store
    composition.reset()
