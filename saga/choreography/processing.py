"""The at-least-once processing of one event, as every Event Hub handler runs it:
validate -> skip if already processed -> react (retried) -> publish (retried) -> ledger entry.

Nothing escapes: Azure checkpoints past a batch whose function raised, so an escaping exception
would silently drop the rest of the batch. What cannot be done is logged at error level and
dead-lettered, and the saga is told (the reaction's ``on_fault`` event) so compensation flows.
"""

from __future__ import annotations

import logging

from observability import log_event
from saga.choreography.pipeline import Pipeline
from saga.choreography.reactions import Consumer, Reaction
from saga.choreography.records import dead_letter, is_processed, record_processed
from saga.errors import TechnicalFault
from saga.events import Envelope, InvalidEvent, follow, parse_event, to_json

log = logging.getLogger("saga.choreography")


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
        _log(logging.INFO, "step", consumer, reaction, event, "duplicate")
        return
    produced = pipeline.retrying(
        lambda: reaction.run(pipeline.services, event), pipeline.retry_for(reaction)
    )
    pipeline.retrying(lambda: pipeline.publish(produced))
    outcome = ",".join(e.type.value for e in produced) or "ok"
    _log(logging.INFO, "step", consumer, reaction, event, outcome)
    if consumer.deduplicate:
        try:
            pipeline.retrying(lambda: record_processed(store, consumer.name, event, produced))
        except Exception:
            # The effect and its events are out; a redelivery finds the services idempotent.
            log.exception("%s: ledger entry for %s not written", consumer.name, event.event_id)


def _give_up(
    pipeline: Pipeline, consumer: Consumer, reaction: Reaction, event: Envelope, fault: Exception
) -> None:
    _log(
        logging.ERROR,
        "event_dead_lettered",
        consumer,
        reaction,
        event,
        "fault",
        error=type(fault).__name__,
    )
    if not isinstance(fault, TechnicalFault):
        log.error("%s on %s: unexpected error", consumer.name, event.event_id, exc_info=fault)
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


def _log(
    level: int,
    name: str,
    consumer: Consumer,
    reaction: Reaction,
    event: Envelope,
    outcome: str,
    **more: str,
) -> None:
    """A structured line (docs/OBSERVABILITY.md): the saga is the order, correlated by its id."""
    log_event(
        log,
        level,
        name,
        saga_id=event.order_id,
        order_id=event.order_id,
        consumer=consumer.name,
        event_type=event.type.value,
        step=reaction.step,
        outcome=outcome,
        **more,
    )
