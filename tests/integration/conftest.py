"""Integration tier: a Cosmos SQL API server (tools/cosmos/launch.js on Node) for the whole session,
and a fresh database per test so tests never see each other's documents."""

from __future__ import annotations

import selectors
import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.cosmos import CosmosStore

COSMOS_DIR = Path(__file__).resolve().parents[2] / "tools" / "cosmos"
# The Cosmos emulator's published well-known key: the SDK insists on a base64 key, the server
# accepts any.
EMULATOR_KEY = (
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
)
START_TIMEOUT_SECONDS = 15.0
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
    node = shutil.which("node")
    if node is None:
        pytest.fail("integration tests need Node.js 20+ on PATH (for tools/cosmos/launch.js)")
    if not (COSMOS_DIR / "node_modules" / "@vercel" / "cosmosdb-server").is_dir():
        pytest.fail("tools/cosmos/node_modules is missing: run `make integration` to install it")
    server = subprocess.Popen(
        [node, "launch.js", "0"],
        cwd=COSMOS_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"https://127.0.0.1:{_wait_for_port(server)}/"
    finally:
        _stop(server)


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


def _wait_for_port(server: subprocess.Popen[str]) -> int:
    assert server.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(server.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline and server.poll() is None:
            if selector.select(timeout=deadline - time.monotonic()):
                line = server.stdout.readline()
                if line.startswith("LISTENING "):
                    return int(line.split()[1])
    _stop(server)
    pytest.fail(f"Cosmos test server did not start within {START_TIMEOUT_SECONDS}s")


def _stop(server: subprocess.Popen[str]) -> None:
    if server.stdin:
        server.stdin.close()  # launch.js exits when its stdin closes
    try:
        server.wait(timeout=5)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    if server.stdout:
        server.stdout.close()
