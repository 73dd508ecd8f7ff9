"""A small synchronous client for the dev host's HTTP surface (like curl), used by the dev host
tests and by end-to-end tests of the real app."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

WEBHOOK = "/runtime/webhooks/durabletask"
RUNNING = {"Pending", "Running", "ContinuedAsNew", "Suspended"}


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class HostClient:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        content_type: str = "application/json",
        timeout: float = 10,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """``path`` is relative to the base URL, or a full URL; ``body`` is sent as JSON."""
        url = path if path.startswith("http") else self.base_url + path
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return Response(reply.status, dict(reply.headers), reply.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def start(self, name: str, input_value: Any = None, instance_id: str | None = None) -> str:
        path = f"{WEBHOOK}/orchestrators/{name}" + (f"/{instance_id}" if instance_id else "")
        reply = self.request("POST", path, input_value)
        assert reply.status == 202, reply
        return str(reply.json()["id"])

    def status(self, instance_id: str, **query: str) -> dict[str, Any] | None:
        params = "&".join(f"{k}={v}" for k, v in query.items())
        reply = self.request("GET", f"{WEBHOOK}/instances/{instance_id}?{params}")
        return reply.json() if reply.status != 404 else None

    def wait(self, instance_id: str, timeout: float = 15, **query: str) -> dict[str, Any]:
        """Poll until the instance is no longer running; returns its status."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status(instance_id, **query)
            if status and status["runtimeStatus"] not in RUNNING:
                return status
            assert time.monotonic() < deadline, f"still running after {timeout}s: {status}"
            time.sleep(0.01)

    def wait_for(self, instance_id: str, predicate: Any, timeout: float = 15) -> dict[str, Any]:
        """Poll until ``predicate(status)`` holds (e.g. a custom status was set)."""
        deadline = time.monotonic() + timeout
        while not predicate(status := self.status(instance_id)):
            assert time.monotonic() < deadline, f"condition not met after {timeout}s: {status}"
            time.sleep(0.01)
        return status  # type: ignore[return-value]

    def raise_event(self, instance_id: str, name: str, data: Any) -> Response:
        return self.request("POST", f"{WEBHOOK}/instances/{instance_id}/raiseEvent/{name}", data)
