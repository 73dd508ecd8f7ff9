"""Event Hub-triggered functions of the choreography saga: one function and one consumer group
per service, plus the read-model projector. Thin shims: every event goes through
``saga.choreography.processing.consume``, which never raises (Azure checkpoints past a failed
batch, so an escaping exception would skip the rest of it)."""

from __future__ import annotations

import logging
import typing

import azure.durable_functions as df
import azure.functions as func

from composition import get_pipeline
from saga.choreography import consumers
from saga.choreography.processing import consume
from saga.choreography.reactions import Consumer

# The Python worker accepts only typing generics here; a built-in ``list[...]`` fails indexing.
EventBatch = typing.List[func.EventHubEvent]  # noqa: UP006

# Resolved from app settings by the host. The connection names the setting holding the Event
# Hubs connection string (EVENTHUB_CONNECTION__fullyQualifiedNamespace for managed identity):
# the same setting the publisher reads, so one setting points both at one namespace.
HUB = "%EVENTHUB_NAME%"
CONNECTION = "EVENTHUB_CONNECTION"
bp = df.Blueprint()
log = logging.getLogger("saga.choreography")


@bp.event_hub_message_trigger(
    arg_name="events",
    event_hub_name=HUB,
    connection=CONNECTION,
    consumer_group="inventory",
    cardinality="many",
)
def choreography_inventory(events: EventBatch) -> None:
    handle(consumers.INVENTORY, events)


@bp.event_hub_message_trigger(
    arg_name="events",
    event_hub_name=HUB,
    connection=CONNECTION,
    consumer_group="payment",
    cardinality="many",
)
def choreography_payment(events: EventBatch) -> None:
    handle(consumers.PAYMENT, events)


@bp.event_hub_message_trigger(
    arg_name="events",
    event_hub_name=HUB,
    connection=CONNECTION,
    consumer_group="shipping",
    cardinality="many",
)
def choreography_shipping(events: EventBatch) -> None:
    handle(consumers.SHIPPING, events)


@bp.event_hub_message_trigger(
    arg_name="events",
    event_hub_name=HUB,
    connection=CONNECTION,
    consumer_group="orders",
    cardinality="many",
)
def choreography_orders(events: EventBatch) -> None:
    handle(consumers.ORDERS, events)


@bp.event_hub_message_trigger(
    arg_name="events",
    event_hub_name=HUB,
    connection=CONNECTION,
    consumer_group="projector",
    cardinality="many",
)
def choreography_projector(events: EventBatch) -> None:
    handle(consumers.PROJECTOR, events)


def handle(consumer: Consumer, events: EventBatch) -> None:
    """Each event of the batch in order; one failing event never stops the ones after it."""
    try:
        pipeline = get_pipeline()
    except Exception:
        # Misconfiguration: the host checkpoints past this batch, so the log keeps the bodies.
        bodies = [event.get_body().decode(errors="replace") for event in events]
        log.exception("%s: batch not processed, events: %s", consumer.name, bodies)
        raise
    for event in events:
        consume(pipeline, consumer, event.get_body())
