"""The saga read model: one document per order (SAGAS container) created by the starter and
projected from the events, idempotently: a redelivered or re-published event changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from saga.concurrency import update_with_retry
from saga.containers import SAGAS
from saga.events import Envelope, EventType
from saga.ports import Document, DocumentStore

KIND = "choreography"
RUNNING, COMPLETED = "running", "completed"
COMPENSATED, COMPENSATION_FAILED = "compensated", "compensation_failed"
E = EventType
# Step an event reports done, and the step the saga waits for next.
FORWARD = {
    E.INVENTORY_RESERVED: ("reserve_inventory", "charge_payment"),
    E.PAYMENT_COMPLETED: ("charge_payment", "ship_order"),
    E.ORDER_SHIPPED: ("ship_order", "complete_order"),
    E.ORDER_COMPLETED: ("complete_order", None),
}
UNDONE = {
    E.SHIPMENT_CANCELLED: ("cancel_shipment", "refund_payment"),
    E.PAYMENT_REFUNDED: ("refund_payment", "release_inventory"),
    E.INVENTORY_RELEASED: ("release_inventory", "cancel_order"),
    E.ORDER_CANCELLED: ("cancel_order", None),
}
# A failure (or abort) event, and the compensation it sets off.
FAILED = {
    E.INVENTORY_RESERVATION_FAILED: "cancel_order",
    E.PAYMENT_FAILED: "release_inventory",
    E.SHIPPING_FAILED: "refund_payment",
    E.ORDER_COMPLETION_FAILED: "cancel_shipment",
    E.SAGA_TIMED_OUT: "abort_saga",
    E.STEP_FAULTED: "abort_saga",
    E.SAGA_ABORTED: "cancel_shipment",
}


def new_saga(
    order: dict[str, Any],
    fingerprint: str,
    now: datetime,
    deadline_seconds: int,
    failure: dict[str, Any] | None = None,
) -> Document:
    """The document of a saga whose order was created; with ``failure`` (it could not be) the
    saga ends at once, with nothing to undo."""
    doc = {
        "id": order["order_id"],
        "order_id": order["order_id"],
        "kind": KIND,
        "fingerprint": fingerprint,
        "order": order,
        "status": RUNNING,
        "current_step": "reserve_inventory",
        "completed_steps": ["create_order"],
        "compensated_steps": [],
        "failed_compensations": [],
        "reason": None,
        # Set when OrderCreated is projected, on the event log's clock (see ``_created``).
        "deadline": None,
        "deadline_seconds": deadline_seconds,
        "created_time": now.isoformat(),
        "last_updated_time": now.isoformat(),
    }
    if failure is not None:
        doc.update(status=COMPENSATED, current_step=None, completed_steps=[], reason=failure)
    return doc


def read(store: DocumentStore, order_id: str) -> Document | None:
    doc = store.read(SAGAS, order_id, order_id)
    return doc if doc is not None and doc.get("kind") == KIND else None


def project(store: DocumentStore, event: Envelope, now: datetime) -> str | None:
    """Apply ``event`` to its saga's document (ETag-guarded, retried on a lost race); returns
    the saga's status when this event ended it."""
    ended: list[str] = []

    def mutate(doc: Document | None) -> Document | None:
        before = doc["status"] if doc is not None else None
        changed = apply(doc, event, now) if doc is not None else None
        ended[:] = [changed["status"]] if changed and changed["status"] != before else []
        return changed

    update_with_retry(store, SAGAS, event.order_id, event.order_id, mutate)
    return ended[0] if ended else None


def apply(doc: Document, event: Envelope, now: datetime) -> Document | None:
    """``doc`` changed by ``event``, or None when the event is no news (a duplicate, or late)."""
    if doc["status"] in (COMPLETED, COMPENSATED):
        return None
    reason = event.data.reason.model_dump() if event.data.reason else None
    if event.type == E.ORDER_CREATED:
        changed = _created(doc, now)
    elif event.type in FORWARD:
        changed = _add_step(doc, "completed_steps", *FORWARD[event.type])
        if changed and event.type == E.ORDER_COMPLETED:
            doc.update(status=COMPLETED, reason=None)
    elif event.type in UNDONE:
        changed = _add_step(doc, "compensated_steps", *UNDONE[event.type])
        if changed and event.type == E.ORDER_CANCELLED and doc["status"] == RUNNING:
            doc["status"] = COMPENSATED
    elif event.type == E.COMPENSATION_FAILED:
        changed = _compensation_failed(doc, reason)
    else:
        changed = _failed(doc, event.type, reason)
    if not changed:
        return None
    doc["last_updated_time"] = now.isoformat()
    return doc


def _created(doc: Document, now: datetime) -> bool:
    # The deadline runs from the first event the read model sees, which is OrderCreated unless
    # the log delivered a later one first.
    if doc["deadline"] is not None:
        return False
    doc["deadline"] = (now + timedelta(seconds=doc["deadline_seconds"])).isoformat()
    return True


def _add_step(doc: Document, key: str, step: str, waiting_for: str | None) -> bool:
    if step in doc[key]:
        return False
    doc[key].append(step)
    # Once compensating, a late forward event is recorded but the saga waits for compensations.
    if doc["reason"] is None or key == "compensated_steps" or waiting_for is None:
        doc["current_step"] = waiting_for
    return True


def _compensation_failed(doc: Document, reason: dict[str, Any] | None) -> bool:
    if reason in doc["failed_compensations"]:
        return False
    doc["failed_compensations"].append(reason)
    doc["status"] = COMPENSATION_FAILED
    return True


def _failed(doc: Document, kind: EventType, reason: dict[str, Any] | None) -> bool:
    if doc["reason"] is not None:  # the first failure is the saga's reason
        return False
    default = {"step": doc["current_step"], "code": kind.value, "message": None}
    doc.update(reason=reason or default, current_step=FAILED[kind])
    return True
