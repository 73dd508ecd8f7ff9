"""Integration tier: a Cosmos SQL API server (tools/cosmos/launch.js on Node) for the whole session,
and a fresh database per test so tests never see each other's documents."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.cosmos import CosmosStore
from tools.cosmos import server
from tools.cosmos.server import EMULATOR_KEY

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The test server's certificate is self-signed; only these tests skip verification.
    quiet = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(quiet)


@pytest.fixture(scope="session")
def cosmos_endpoint() -> Iterator[str]:
    """``https://127.0.0.1:<port>/`` of a Cosmos server that lives as long as the test session."""
    try:
        with server.cosmos_endpoint() as endpoint:
            yield endpoint
    except server.CosmosUnavailable as missing:
        pytest.fail(f"integration tests: {missing}")


@pytest.fixture
def cosmos_database() -> str:
    """A database name no other test uses."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_cosmos_store(cosmos_endpoint: str, cosmos_database: str) -> Callable[..., CosmosStore]:
    """Build handles (each its own client, like separate processes) on the test's database;
    keyword arguments go to ``CosmosStore`` (``endpoint=`` replaces the server's)."""

    def make(endpoint: str = cosmos_endpoint, **options: Any) -> CosmosStore:
        return CosmosStore(endpoint, cosmos_database, EMULATOR_KEY, verify_tls=False, **options)

    return make
