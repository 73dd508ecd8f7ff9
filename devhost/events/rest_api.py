"""The local Event Hubs' publish endpoint, in the shape of the Event Hubs REST API: "Send event"
(one body, its partition key in a ``BrokerProperties`` header) and "Send batch events" (a JSON
array, content type ``application/vnd.microsoft.servicebus.json``). The SAS token is not checked:
the endpoint listens on the host's own address only."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from aiohttp import web

PUBLISH_PATH = "/runtime/webhooks/eventhubs/"  # then {hub}/messages
BATCH_CONTENT_TYPE = "application/vnd.microsoft.servicebus.json"


def local_connection(base_url: str) -> str:
    """An Event Hubs connection string for this host. The key signs nothing the host checks."""
    endpoint = base_url + PUBLISH_PATH
    return f"Endpoint={endpoint};SharedAccessKeyName=devhost;SharedAccessKey=local"


async def published_events(request: web.Request) -> Sequence[tuple[str | None, str]]:
    """The ``(partition key, body)`` pairs a publish request carries; ValueError says what is
    wrong with it."""
    raw = await request.read()
    if request.content_type == BATCH_CONTENT_TYPE:
        return parse_batch(raw)
    return [(broker_partition_key(request.headers), raw.decode())]


def parse_batch(raw: bytes) -> Sequence[tuple[str | None, str]]:
    """The ``(partition key, body)`` pairs of a batch: ``[{"Body": str, "BrokerProperties":
    {"PartitionKey": str}}]``; ValueError says what is wrong."""
    messages = json.loads(raw)
    if not isinstance(messages, list):
        raise ValueError('a batch is a JSON array: [{"Body": "...", "BrokerProperties": {...}}]')
    return [(_partition_key(message), _body(message)) for message in messages]


def broker_partition_key(headers: Mapping[str, str]) -> str | None:
    """The PartitionKey of a single event's ``BrokerProperties`` header (JSON), if any."""
    properties = json.loads(headers.get("BrokerProperties", "{}"))
    return _partition_key({"BrokerProperties": properties})


def _body(message: object) -> str:
    body = message.get("Body") if isinstance(message, dict) else None
    if not isinstance(body, str):
        raise ValueError(f"each message needs a string Body: {message!r}")
    if isinstance(message, dict) and message.get("IsBodyBase64"):
        raise ValueError("IsBodyBase64 is not supported: send the body as text")
    return body


def _partition_key(message: object) -> str | None:
    properties = message.get("BrokerProperties") if isinstance(message, dict) else None
    key = properties.get("PartitionKey") if isinstance(properties, dict) else None
    if not isinstance(key, str | None):
        raise ValueError(f"BrokerProperties.PartitionKey must be a string: {message!r}")
    return key
