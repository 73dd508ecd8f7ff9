"""EventPublisher on Azure Event Hubs (azure-eventhub SDK), and the choice of publisher.

One producer per hub, created on first use and reused; each partition key's events go out in one
``send_batch`` with that key, so they land on one partition in order.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from adapters.eventhubs_rest import EventHubsRestPublisher, is_rest_endpoint
from config import Settings
from saga.errors import TechnicalFault
from saga.ports import EventPublisher


class EventHubsPublisher:
    """Publishes with a connection string, or a namespace plus Entra ID credentials."""

    def __init__(self, *, connection: str = "", fully_qualified_namespace: str = "") -> None:
        if not connection and not fully_qualified_namespace:
            raise ValueError("set EVENTHUB_CONNECTION or EVENTHUB_FULLY_QUALIFIED_NAMESPACE")
        self._connection = connection
        self._namespace = fully_qualified_namespace
        self._producers: dict[str, Any] = {}
        # Activities run on a thread pool; the producer is not documented as thread-safe.
        self._lock = threading.Lock()

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        """Send each partition key's bodies as one keyed batch; raise TechnicalFault on failure."""
        from azure.eventhub import EventData

        with self._lock:
            producer = self._producer(hub)
            for key, bodies in group_by_partition_key(events).items():
                try:
                    producer.send_batch([EventData(body) for body in bodies], partition_key=key)
                except Exception as exc:
                    raise TechnicalFault(f"publishing to event hub {hub!r} failed: {exc}") from exc

    def close(self) -> None:
        """Close every producer opened so far."""
        with self._lock:
            for producer in self._producers.values():
                producer.close()
            self._producers.clear()

    def _producer(self, hub: str) -> Any:
        if hub not in self._producers:
            self._producers[hub] = self._open_producer(hub)
        return self._producers[hub]

    def _open_producer(self, hub: str) -> Any:
        from azure.eventhub import EventHubProducerClient

        if self._connection:
            return EventHubProducerClient.from_connection_string(
                self._connection, eventhub_name=hub
            )
        from azure.identity import DefaultAzureCredential

        return EventHubProducerClient(self._namespace, hub, DefaultAzureCredential())


def group_by_partition_key(events: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Bodies per partition key, keys in first-seen order and bodies in their original order."""
    groups: dict[str, list[str]] = {}
    for key, body in events:
        groups.setdefault(key, []).append(body)
    return groups


def build_publisher(settings: Settings) -> EventPublisher:
    """The SDK (AMQP) for an sb:// connection or a namespace; the REST API for an http(s)://
    Endpoint (the dev host's local Event Hubs is one)."""
    if is_rest_endpoint(settings.eventhub_connection):
        return EventHubsRestPublisher(settings.eventhub_connection)
    return EventHubsPublisher(
        connection=settings.eventhub_connection,
        fully_qualified_namespace=settings.eventhub_fully_qualified_namespace,
    )
