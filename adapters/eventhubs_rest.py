"""EventPublisher over the Event Hubs REST API ("Send batch events": ``POST
{endpoint}{hub}/messages`` with a SAS token), stdlib only. Chosen for a connection string whose
``Endpoint`` is http(s):// rather than sb://, such as the local Event Hubs the dev host provides."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from urllib.parse import quote, quote_plus

from saga.errors import TechnicalFault

TIMEOUT_SECONDS = 10.0
TOKEN_LIFETIME_SECONDS = 3600
BATCH_CONTENT_TYPE = "application/vnd.microsoft.servicebus.json"


def parse_connection(connection: str) -> dict[str, str]:
    """``Key=value;...`` pairs of an Event Hubs connection string (keys as written)."""
    pairs = (part.split("=", 1) for part in connection.split(";") if "=" in part)
    return {key.strip(): value.strip() for key, value in pairs}


def is_rest_endpoint(connection: str) -> bool:
    """Whether the connection string's Endpoint is reached over HTTP(S), not AMQP (sb://)."""
    endpoint = parse_connection(connection).get("Endpoint", "")
    return endpoint.startswith(("http://", "https://"))


def sas_token(resource: str, key_name: str, key: str, expiry: int) -> str:
    """A Shared Access Signature for ``resource``, as Event Hubs documents it."""
    quoted = quote_plus(resource)
    digest = hmac.new(key.encode(), f"{quoted}\n{expiry}".encode(), hashlib.sha256).digest()
    signature = quote(base64.b64encode(digest))
    return f"SharedAccessSignature sr={quoted}&sig={signature}&se={expiry}&skn={key_name}"


class EventHubsRestPublisher:
    """Publishes each call as one batch; events keep their order and their partition key."""

    def __init__(self, connection: str) -> None:
        values = parse_connection(connection)
        endpoint = values.get("Endpoint", "")
        if not is_rest_endpoint(connection):
            raise ValueError(f"EVENTHUB_CONNECTION: Endpoint must be http(s)://, not {endpoint!r}")
        self._endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        self._key_name = values.get("SharedAccessKeyName", "")
        self._key = values.get("SharedAccessKey", "")

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        """Send the events to ``hub`` in one batch; raise TechnicalFault unless it is accepted."""
        url = f"{self._endpoint}{quote(hub, safe='')}/messages"
        batch = [{"Body": body, "BrokerProperties": {"PartitionKey": key}} for key, body in events]
        request = urllib.request.Request(
            url + "?api-version=2014-01",
            data=json.dumps(batch).encode(),
            headers={"Content-Type": BATCH_CONTENT_TYPE, "Authorization": self._token(url)},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except (urllib.error.URLError, OSError) as exc:
            raise TechnicalFault(f"publishing to event hub {hub!r} failed: {exc}") from exc
        if status != 201:
            raise TechnicalFault(f"publishing to event hub {hub!r} answered {status}")

    def _token(self, url: str) -> str:
        expiry = int(time.time()) + TOKEN_LIFETIME_SECONDS
        return sas_token(url, self._key_name, self._key, expiry)
