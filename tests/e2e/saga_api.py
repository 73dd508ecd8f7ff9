"""The saga API as a user's curl sees it, on top of the dev host's HTTP client."""

from __future__ import annotations

import time
from typing import Any

from devhost.testing.client import HostClient

TERMINAL = {"completed", "compensated", "compensation_failed", "failed"}


class SagaApi(HostClient):
    def post(self, path: str, payload: Any) -> tuple[int, Any]:
        reply = self.request("POST", path, payload)
        return reply.status, reply.json()

    def status(self, instance_id: str, kind: str = "") -> tuple[int, Any]:
        prefix = f"/api/saga/{kind}/" if kind else "/api/saga/"
        reply = self.request("GET", f"{prefix}{instance_id}/status")
        return reply.status, reply.json()

    def wait_until_done(self, instance_id: str, kind: str = "", timeout: float = 30) -> Any:
        """Poll the status route until the saga is terminal; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, body = self.status(instance_id, kind)
            if code == 200 and body["saga_status"] in TERMINAL:
                return body
            time.sleep(0.05)
        raise AssertionError(f"{instance_id} not terminal after {timeout}s: {body}")
