"""Event Hub-triggered functions of the choreography saga: one function and one consumer group
per service, plus the read-model projector. Thin shims: every event goes through
``saga.choreography.consumer.consume``, which never raises (Azure checkpoints past a failed
batch, so an escaping exception would skip the rest of it)."""

from __future__ import annotations

import logging
import typing
from dataclasses import replace
from datetime import UTC, datetime

import azure.durable_functions as df
import azure.functions as func

from activities import faults
from composition import get_publisher, get_settings, get_store
from saga.choreography import consumers
from saga.choreography.consumer import consume
from saga.choreography.pipeline import Pipeline, Retry
from saga.choreography.reactions import Consumer, Services, no_gate
from saga.events import OrderSnapshot
from saga.results import Result

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
        pipeline = build_pipeline()
    except Exception:
        # Misconfiguration: the host checkpoints past this batch, so the log keeps the bodies.
        bodies = [event.get_body().decode(errors="replace") for event in events]
        log.exception("%s: batch not processed, events: %s", consumer.name, bodies)
        raise
    for event in events:
        consume(pipeline, consumer, event.get_body())


def build_pipeline() -> Pipeline:
    """The handlers' dependencies, from the composition root (cheap: everything is cached)."""
    settings = get_settings()
    gate = injected_faults if settings.saga_fault_injection else no_gate
    retry = Retry(
        settings.saga_retry_max_attempts,
        settings.saga_retry_first_interval_ms / 1000,
        settings.saga_retry_backoff,
    )
    services = Services(get_store(), settings.saga_payment_limit_minor, _now, gate)
    publisher = get_publisher()
    if settings.saga_fault_injection:
        publisher = faults.DuplicatingPublisher(publisher)
    undo_retry = replace(retry, attempts=settings.saga_compensation_max_attempts)
    return Pipeline(
        services, publisher, settings.eventhub_name, retry, compensation_retry=undo_retry
    )


def injected_faults(step: str, order: OrderSnapshot) -> Result | None:
    """The request's ``simulate`` block, as the activities honour it (activities.faults)."""
    if not order.simulate:
        return None
    refused = faults.refusal(step, order.simulate)
    if refused is None:
        faults.before_step(step, order.order_id, order.simulate)
    return refused


def _now() -> datetime:
    return datetime.now(UTC)
