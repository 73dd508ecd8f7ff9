"""A tiny HTTP client for the saga API, used by the e2e tests the way a user's curl would be."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

TERMINAL = {"completed", "compensated", "compensation_failed", "failed"}


class SagaApi:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, Any, dict[str, str]]:
        """Send a request; return (status, decoded JSON body or None, headers)."""
        req = urllib.request.Request(
            f"{self.base_url}{path}",
            data=body,
            method=method,
            headers={"Content-Type": content_type},
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, _decode(response.read()), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, _decode(error.read()), dict(error.headers)

    def post(self, path: str, payload: Any) -> tuple[int, Any]:
        status, body, _ = self.request("POST", path, json.dumps(payload).encode())
        return status, body

    def status(self, instance_id: str, kind: str = "") -> tuple[int, Any]:
        prefix = f"/api/saga/{kind}/" if kind else "/api/saga/"
        status, body, _ = self.request("GET", f"{prefix}{instance_id}/status")
        return status, body

    def wait_until_done(self, instance_id: str, kind: str = "", timeout: float = 30) -> Any:
        """Poll the status route until the saga is terminal; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, body = self.status(instance_id, kind)
            if code == 200 and body["saga_status"] in TERMINAL:
                return body
            time.sleep(0.05)
        raise AssertionError(f"{instance_id} not terminal after {timeout}s: {body}")


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")
