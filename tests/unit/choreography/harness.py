"""A single-partition event bus for the choreography: a recording publisher, and delivery of
everything published to every consumer, in order, until nothing is left (as Event Hubs would
deliver one order's events, all of them on one partition)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from saga.choreography import consumers
from saga.choreography.pipeline import Pipeline, Retry
from saga.choreography.processing import consume
from saga.choreography.reactions import Consumer, Gate, Services, no_gate
from saga.choreography.starter import start_saga
from saga.ports import DocumentStore
from saga.seed import ensure_item

HUB = "saga-events"
LIMIT_MINOR = 50_000
# SKU -> (stock, unit price in minor units).
CATALOGUE = {"a": (10, 1_000), "b": (5, 250)}


class RecordingPublisher:
    """Keeps every published ``(hub, partition_key, body)``; can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.failures: list[Exception] = []

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.extend((hub, key, body) for key, body in events)

    def types(self) -> list[str]:
        return [json.loads(body)["type"] for _, _, body in self.sent]


class Clock:
    """A settable UTC clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Bus:
    """The pipeline under test plus a cursor over what has been published."""

    def __init__(self, store: DocumentStore, gate: Gate = no_gate, attempts: int = 3) -> None:
        for sku, (stock, price) in CATALOGUE.items():
            ensure_item(store, sku, stock, price)
        self.store = store
        self.publisher = RecordingPublisher()
        self.clock = Clock()
        self.sleeps: list[float] = []
        services = Services(store, LIMIT_MINOR, self.clock, gate)
        retry = Retry(attempts, 0.01, 2.0)
        self.pipeline = Pipeline(services, self.publisher, HUB, retry, retry, self.sleeps.append)
        self.delivered = 0

    def start(
        self,
        order_id: str = "o1",
        items: list[dict[str, Any]] | None = None,
        amount_minor: int = 1_000,
        **extra: Any,
    ) -> str:
        order = order_of(order_id, items, amount_minor, **extra)
        return start_saga(self.pipeline, order, f"fp-{order_id}-{amount_minor}", 300)

    def deliver(self, times: int = 1, consumer_list: Sequence[Consumer] = consumers.ALL) -> None:
        """Deliver every event not yet delivered (``times`` copies each) to every consumer,
        including the events that delivery publishes, until the bus is quiet."""
        while self.delivered < len(self.publisher.sent):
            _, _, body = self.publisher.sent[self.delivered]
            self.delivered += 1
            for _ in range(times):
                for consumer in consumer_list:
                    consume(self.pipeline, consumer, body)


def order_of(
    order_id: str,
    items: list[dict[str, Any]] | None = None,
    amount_minor: int = 1_000,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "customer_id": "c1",
        "items": items or [{"sku": "a", "quantity": 1}],
        "amount_minor": amount_minor,
        **extra,
    }
