"""Each flow test runs against the in-memory fake (with fault injection) on a fresh bus."""

from __future__ import annotations

import pytest

from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import Bus


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def bus(store: InMemoryStore) -> Bus:
    return Bus(store)
