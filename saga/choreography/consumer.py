"""The at-least-once consumer pipeline every Event Hub handler runs, one event at a time:
validate -> skip if already processed -> react (retried) -> publish (retried) -> ledger entry.

Nothing escapes: Azure checkpoints past a batch whose function raised, so an escaping exception
would silently drop the rest of the batch. What cannot be done is logged at error level and
dead-lettered, and the saga is told (the reaction's ``on_fault`` event) so compensation flows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from saga.choreography.reactions import Consumer, Reaction, Services
from saga.choreography.records import dead_letter, is_processed, record_processed
from saga.errors import TechnicalFault
from saga.events import Envelope, InvalidEvent, follow, parse_event, to_json
from saga.ports import EventPublisher

log = logging.getLogger("saga.choreography")
T = TypeVar("T")


@dataclass(frozen=True)
class Retry:
    """In-handler retries of technical faults: ``attempts`` tries, exponential backoff."""

    attempts: int = 4
    first_delay_seconds: float = 1.0
    backoff: float = 2.0

    def delay(self, attempt: int) -> float:
        return self.first_delay_seconds * self.backoff ** (attempt - 1)


@dataclass(frozen=True)
class Pipeline:
    """Everything a handler needs, built once by the composition root."""

    services: Services
    publisher: EventPublisher
    hub: str
    retry: Retry = Retry()
    sleep: Callable[[float], None] = field(default=time.sleep)

    def publish(self, events: list[Envelope]) -> None:
        if events:
            self.publisher.publish(self.hub, [(e.order_id, to_json(e)) for e in events])

    def retrying(self, action: Callable[[], T]) -> T:
        """Run ``action``; retry technical faults with backoff, re-raise the last one."""
        for attempt in range(1, self.retry.attempts):
            try:
                return action()
            except TechnicalFault as fault:
                log.warning("technical fault (attempt %d): %s", attempt, fault)
                self.sleep(self.retry.delay(attempt))
        return action()


def consume(pipeline: Pipeline, consumer: Consumer, body: str | bytes) -> None:
    """Process one event body for ``consumer``; never raises."""
    try:
        event = parse_event(body)
    except InvalidEvent as invalid:
        log.error("%s: invalid event dead-lettered: %s", consumer.name, invalid)
        dead_letter(pipeline.services, consumer.name, body, None, "invalid_event", invalid)
        return
    reaction = consumer.reactions.get(event.type)
    if reaction is None:
        return  # every consumer group sees every event; most are for someone else
    try:
        _process(pipeline, consumer, reaction, event)
    except Exception as fault:
        _give_up(pipeline, consumer, reaction, event, fault)


def _process(pipeline: Pipeline, consumer: Consumer, reaction: Reaction, event: Envelope) -> None:
    store = pipeline.services.store
    if consumer.deduplicate and pipeline.retrying(
        lambda: is_processed(store, consumer.name, event)
    ):
        log.info("%s: %s already processed", consumer.name, event.event_id, extra=_fields(event))
        return
    produced = pipeline.retrying(lambda: reaction.run(pipeline.services, event))
    pipeline.retrying(lambda: pipeline.publish(produced))
    log.info(
        "%s: %s -> %s",
        consumer.name,
        event.event_id,
        [e.type.value for e in produced],
        extra=_fields(event),
    )
    if consumer.deduplicate:
        try:
            pipeline.retrying(lambda: record_processed(store, consumer.name, event, produced))
        except Exception:
            # The effect and its events are out; a redelivery finds the services idempotent.
            log.exception("%s: ledger entry for %s not written", consumer.name, event.event_id)


def _give_up(
    pipeline: Pipeline, consumer: Consumer, reaction: Reaction, event: Envelope, fault: Exception
) -> None:
    log.error(
        "%s: %s failed at %s: %r",
        consumer.name,
        event.event_id,
        reaction.step,
        fault,
        extra=_fields(event),
    )
    dead_letter(pipeline.services, consumer.name, to_json(event), event, reaction.step, fault)
    if reaction.on_fault is None:
        return
    reason = {"step": reaction.step, "code": "technical_fault", "message": str(fault)[:300]}
    notice = follow(event, reaction.on_fault, pipeline.services.now(), reason)
    try:
        pipeline.retrying(lambda: pipeline.publish([notice]))
    except Exception:
        # Nothing else can be told now; the watchdog times the saga out at its deadline.
        log.exception("%s: could not publish %s", consumer.name, notice.event_id)


def _fields(event: Envelope) -> dict[str, str]:
    return {"order_id": event.order_id, "event_id": event.event_id, "event_type": event.type.value}
