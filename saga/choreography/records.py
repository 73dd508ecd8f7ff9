"""The processed-event ledger (one document per consumer and event, in the event's order partition)
and the dead-letter documents (one per consumer and event, with the body and the error) an
operator replays from."""

from __future__ import annotations

import hashlib
import logging

from saga.choreography.reactions import Services
from saga.concurrency import create_or_read
from saga.containers import DEADLETTERS, LEDGER
from saga.events import Envelope
from saga.ports import DocumentStore

log = logging.getLogger("saga.choreography")
# Dead letters of bodies that carry no usable order id are spread over this many partitions,
# `_unknown:00` .. `_unknown:15`, by the body's hash: a flood of poison shares the write load
# and no single partition takes all of it.
UNKNOWN_ORDER = "_unknown"
UNKNOWN_BUCKETS = 16


def unknown_partitions() -> list[str]:
    """Every partition a dead letter without an order id can be in (what an operator lists)."""
    return [f"{UNKNOWN_ORDER}:{bucket:02d}" for bucket in range(UNKNOWN_BUCKETS)]


def unknown_partition(digest: str) -> str:
    return f"{UNKNOWN_ORDER}:{int(digest[:8], 16) % UNKNOWN_BUCKETS:02d}"


def ledger_id(consumer: str, event: Envelope) -> str:
    return f"{consumer}:{event.event_id}"


def is_processed(store: DocumentStore, consumer: str, event: Envelope) -> bool:
    return store.read(LEDGER, event.order_id, ledger_id(consumer, event)) is not None


def record_processed(
    store: DocumentStore, consumer: str, event: Envelope, produced: list[Envelope]
) -> None:
    """Written after the effect and the publish, so a crash in between means "do it again"."""
    create_or_read(
        store,
        LEDGER,
        event.order_id,
        {
            "id": ledger_id(consumer, event),
            "consumer": consumer,
            "event_id": event.event_id,
            "order_id": event.order_id,
            "type": event.type.value,
            "produced": [e.event_id for e in produced],
        },
    )


def dead_letter(
    services: Services,
    consumer: str,
    body: str | bytes,
    event: Envelope | None,
    step: str,
    error: Exception,
) -> None:
    """Park the event with its error; if even that fails, the error log keeps the body."""
    text = body.decode(errors="replace") if isinstance(body, bytes) else body
    if event is not None:
        order_id, key = event.order_id, event.event_id
    else:
        key = hashlib.sha256(text.encode()).hexdigest()[:32]
        order_id = unknown_partition(key)
    doc = {
        "id": f"{consumer}:{key}",
        "order_id": order_id,
        "consumer": consumer,
        "event_id": event.event_id if event is not None else None,
        "type": event.type.value if event is not None else None,
        "step": step,
        "error": {"kind": type(error).__name__, "message": str(error)[:1000]},
        "body": text,
        "dead_lettered_at": services.now().isoformat(),
    }
    try:
        create_or_read(services.store, DEADLETTERS, order_id, doc)
    except Exception:
        log.exception("%s: dead letter not written; event body: %s", consumer, text[:4000])
