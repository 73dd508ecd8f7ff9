"""The saga API as a user's curl calls it (and the dev host's instance list, as an operator
reads it): keep-alive per thread, optional retries while the host is down, and every public API
response scanned for management URLs, keys and planted secrets."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# What no public response may contain: Durable management URLs and their keys.
LEAK_MARKERS = ("/runtime/webhooks", "taskHub=", "systemKey", "code=")
# A JSON field whose name says it holds a credential.
SECRET_FIELD = re.compile(
    r'"(\w*(?:secret|password|token|credential|connection|_key)\w*)"\s*:', re.I
)
INSTANCES = "/runtime/webhooks/durabletask/instances"
RUNNING = "Pending,Running,ContinuedAsNew,Suspended"
_DOWN = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Response:
    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class Watch:
    """Looks for what must never leave the app: management URLs and keys in public responses,
    planted secrets there, in host logs and in orchestration inputs; counts what it read."""

    def __init__(self, secrets: Sequence[str]) -> None:
        self.secrets = tuple(secrets)
        self.responses = self.inputs = self.log_bytes = 0
        self.leaks: list[str] = []
        self._lock = threading.Lock()

    def scan(self, path: str, response: Response) -> None:
        if not path.startswith("/api/"):
            return  # the operator's management calls are not public
        seen = response.text + "".join(f"\n{k}: {v}" for k, v in response.headers.items())
        with self._lock:
            self.responses += 1
            self._look(f"response to {path[:80]}", seen, (*LEAK_MARKERS, *self.secrets))

    def scan_log(self, where: str, text: str) -> None:
        with self._lock:
            self.log_bytes += len(text)
            self._look(f"log of {where}", text, self.secrets)

    def scan_input(self, instance_id: str, text: str | None) -> None:
        """An orchestration input: no secret, and no field named like one."""
        with self._lock:
            self.inputs += 1
            self._look(f"input of {instance_id}", text or "", self.secrets)
            for name in SECRET_FIELD.findall(text or ""):
                self.leaks.append(f"input of {instance_id}: a field named {name!r}")

    def _look(self, where: str, text: str, markers: Sequence[str]) -> None:
        self.leaks += [f"{where}: {marker}" for marker in markers if marker in text]


class Client:
    def __init__(self, base_url: str, watch: Watch) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.watch = watch
        self._local = threading.local()

    def send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = "application/json",
        retry_for: float = 0.0,
    ) -> Response:
        """One request; with ``retry_for`` seconds, connection failures and 5xx are retried (the
        host may be restarting: starts are idempotent, so re-posting is what a client does)."""
        headers = {"Content-Type": content_type} if content_type else {}
        deadline = time.monotonic() + retry_for
        while True:
            try:
                response = self._once(method, path, body, headers)
            except _DOWN:
                self._drop()
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)
                continue
            if response.status < 500 or time.monotonic() >= deadline:
                self.watch.scan(path, response)
                return response
            time.sleep(0.05)

    def post(self, path: str, payload: Any, retry_for: float = 0.0) -> Response:
        return self.send("POST", path, json.dumps(payload).encode(), retry_for=retry_for)

    def get(self, path: str, retry_for: float = 0.0) -> Response:
        return self.send("GET", path, content_type=None, retry_for=retry_for)

    def instances(self, statuses: str = "", show_input: bool = False) -> list[dict[str, Any]]:
        """The dev host's instance list (the Durable management API, an operator's view)."""
        query = f"?showInput={str(show_input).lower()}"
        query += f"&runtimeStatus={statuses}" if statuses else ""
        found: list[dict[str, Any]] = self.get(INSTANCES + query, retry_for=30).json()
        return found

    def running_instances(self) -> set[str]:
        return {row["instanceId"] for row in self.instances(RUNNING)}

    def _once(
        self, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Response:
        connection = self._connection()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        text = answer.read().decode(errors="replace")
        if answer.will_close:
            self._drop()
        return Response(answer.status, text, dict(answer.getheaders()))

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self._local, "connection", None) is None:
            self._local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection: http.client.HTTPConnection = self._local.connection
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
        self._local.connection = None
