"""The processed-event ledger (one document per consumer and event) and the dead-letter documents
(one per consumer and event, with the body and the error) an operator replays from."""

from __future__ import annotations

import hashlib
import logging

from saga.choreography.reactions import Services
from saga.concurrency import create_or_read
from saga.containers import DEADLETTERS, LEDGER
from saga.events import Envelope
from saga.ports import DocumentStore

log = logging.getLogger("saga.choreography")
# Dead letters of bodies that carry no usable order id share this partition.
UNKNOWN_ORDER = "_unknown"


def ledger_id(consumer: str, event: Envelope) -> str:
    return f"{consumer}:{event.event_id}"


def is_processed(store: DocumentStore, consumer: str, event: Envelope) -> bool:
    return store.read(LEDGER, consumer, ledger_id(consumer, event)) is not None


def record_processed(
    store: DocumentStore, consumer: str, event: Envelope, produced: list[Envelope]
) -> None:
    """Written after the effect and the publish, so a crash in between means "do it again"."""
    create_or_read(
        store,
        LEDGER,
        consumer,
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
    order_id = event.order_id if event is not None else UNKNOWN_ORDER
    key = event.event_id if event is not None else hashlib.sha256(text.encode()).hexdigest()[:32]
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
