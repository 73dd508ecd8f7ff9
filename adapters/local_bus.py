"""EventPublisher posting to the dev host's local event log (``POST {url}{hub}``), stdlib only."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import quote

from saga.errors import TechnicalFault

TIMEOUT_SECONDS = 10.0


class LocalBusPublisher:
    """Publishes to ``{base_url}{hub}``; the dev host answers 202 once the events are durable."""

    def __init__(self, base_url: str) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        """Append the events to ``hub`` in order; raise TechnicalFault unless accepted."""
        payload = {"events": [{"partition_key": key, "body": body} for key, body in events]}
        request = urllib.request.Request(
            self._base_url + quote(hub, safe=""),
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except (urllib.error.URLError, OSError) as exc:
            raise TechnicalFault(f"publishing to local event hub {hub!r} failed: {exc}") from exc
        if status != 202:
            raise TechnicalFault(f"publishing to local event hub {hub!r} answered {status}")
