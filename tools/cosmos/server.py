"""The one launcher of the Cosmos-protocol test server (``node tools/cosmos/launch.js``), for the
integration tests and the bench: a free port, ``LISTENING <port>`` on stdout, gone when stdin
closes."""

from __future__ import annotations

import selectors
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COSMOS_DIR = Path(__file__).resolve().parent
# The Cosmos emulator's published well-known key: the SDK wants a base64 key, the server takes any.
EMULATOR_KEY = (
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU9DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="
)
START_TIMEOUT_S = 15.0


class CosmosUnavailable(RuntimeError):
    """Node or the npm package is missing, or the server did not start."""


@contextmanager
def cosmos_endpoint(cosmos_dir: Path = COSMOS_DIR) -> Iterator[str]:
    """``https://127.0.0.1:<port>/`` while the block runs (``cosmos_dir``: whose launch.js)."""
    node = shutil.which("node")
    if node is None or not (cosmos_dir / "node_modules" / "@vercel" / "cosmosdb-server").is_dir():
        raise CosmosUnavailable(
            "needs Node.js 20+ and tools/cosmos/node_modules (`make setup` installs them)"
        )
    server = subprocess.Popen(
        [node, "launch.js", "0"], cwd=cosmos_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        yield f"https://127.0.0.1:{_port(server)}/"
    finally:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.close()  # launch.js exits when its stdin closes
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


def _port(server: subprocess.Popen[bytes]) -> int:
    assert server.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(server.stdout, selectors.EVENT_READ)
        while server.poll() is None and selector.select(timeout=START_TIMEOUT_S):
            line = server.stdout.readline().decode()
            if line.startswith("LISTENING "):
                return int(line.split()[1])
    raise CosmosUnavailable(f"the Cosmos test server did not start within {START_TIMEOUT_S}s")
