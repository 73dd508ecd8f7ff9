"""Reading entity_app's counter entity through the app's HTTP functions (the SDK's
read_entity_state), for the in-process and the end-to-end entity tests."""

from __future__ import annotations

import time
from typing import Any

from devhost.testing.client import HostClient


def read_counter(client: HostClient, key: str) -> dict[str, Any]:
    return client.request("GET", f"/api/counters/{key}").json()


def wait_for_counter(client: HostClient, key: str, state: Any, timeout: float = 15) -> None:
    """Poll until the counter exists with ``state``."""
    deadline = time.monotonic() + timeout
    while (seen := read_counter(client, key)) != {"exists": True, "state": state}:
        assert time.monotonic() < deadline, f"counter {key} is {seen}, not {state}"
        time.sleep(0.01)
