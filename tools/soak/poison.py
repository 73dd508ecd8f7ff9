"""Deliberate poison for the choreography: bodies that are no valid event, published to the dev
host's local Event Hubs as a rogue producer would. Every consumer group must dead-letter each one
(in the ``_unknown:NN`` partitions, by the body's hash) and carry on."""

from __future__ import annotations

import json
import time

from devhost.testing.process import APP_DEFAULTS
from saga.choreography.consumers import ALL
from saga.choreography.records import unknown_partitions
from saga.containers import DEADLETTERS
from saga.ports import DocumentStore
from tools.soak.client import Client

# The dev host's local Event Hubs, "Send batch events" of the Event Hubs REST API.
PUBLISH = f"/runtime/webhooks/eventhubs/{APP_DEFAULTS['EVENTHUB_NAME']}/messages"
BATCH = "application/vnd.microsoft.servicebus.json"
POISONED = frozenset(unknown_partitions())


def body(n: int) -> str:
    """The n-th poison: not JSON, an envelope missing its fields, a future schema, a lie."""
    kinds = [
        f"not json {n}",
        json.dumps({"type": "PaymentCompleted", "order_id": f"poison-{n}"}),
        json.dumps({"schema_version": 99, "event_id": f"poison-{n}:x"}),
        json.dumps({"schema_version": 1, "type": "OrderCreated", "order_id": f"poison-{n}"}),
    ]
    return kinds[n % len(kinds)]


def publish(client: Client, count: int) -> int:
    """Publish ``count`` poison events; returns how many dead letters they must make."""
    batch = [
        {"Body": body(n), "BrokerProperties": {"PartitionKey": f"poison-{n}"}} for n in range(count)
    ]
    response = client.send("POST", PUBLISH, json.dumps(batch).encode(), BATCH, retry_for=30)
    if response.status != 201:
        raise RuntimeError(f"the dev host refused the poison batch: {response.status}")
    return count * len(ALL)


def dead_letters(store: DocumentStore, expected: int, timeout: float = 60) -> int:
    """Wait until ``expected`` poison dead letters are in the store; returns how many there are."""
    deadline = time.monotonic() + timeout
    while True:
        found = sum(len(store.query(DEADLETTERS, {}, partition=p)) for p in POISONED)
        if found >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.1)
