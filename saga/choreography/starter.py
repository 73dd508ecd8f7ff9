"""Starting a choreography saga: create the order, record the saga, publish ``OrderCreated``.
Idempotent on the order id: the same request again changes nothing (it only re-publishes the
first event of a saga still running, healing a start that crashed before publishing)."""

from __future__ import annotations

from typing import Any, Literal

from saga import orders
from saga.choreography import state
from saga.choreography.pipeline import Pipeline
from saga.containers import SAGAS
from saga.errors import AlreadyExists, StoreUnavailable
from saga.events import EventType, first_event
from saga.models import pick
from saga.ports import DocumentStore
from saga.results import COMPENSATED, ORDER_CANCELLED, ORDER_CONFLICT

Started = Literal["started", "exists", "conflict"]
# The order id already belongs to another order (or to one cancelled before this saga).
_TAKEN = {ORDER_CONFLICT, ORDER_CANCELLED, COMPENSATED}
_REASON = ("code", "message")


def start_saga(
    pipeline: Pipeline, order: dict[str, Any], fingerprint: str, deadline_seconds: int
) -> Started:
    """Start the saga for ``order`` once; ``fingerprint`` tells a retry from a different order."""
    store, now, order_id = pipeline.services.store, pipeline.services.now(), order["order_id"]
    existing = state.read(store, order_id)
    if existing is not None:
        return _again(pipeline, existing, order, fingerprint)
    created = orders.create_order(
        store, order_id, order["customer_id"], order["items"], order["amount_minor"]
    )
    if not created["ok"] and created["code"] in _TAKEN:
        return "conflict"
    failure = None if created["ok"] else {"step": "create_order", **pick(created, _REASON)}
    try:
        store.create(
            SAGAS, order_id, state.new_saga(order, fingerprint, now, deadline_seconds, failure)
        )
    except AlreadyExists:  # a concurrent identical request won the race
        return _again(pipeline, _stored(store, order_id), order, fingerprint)
    if failure is None:
        event = first_event(EventType.ORDER_CREATED, order, now)
        pipeline.retrying(lambda: pipeline.publish([event]))
    return "started"


def _again(
    pipeline: Pipeline, saga: dict[str, Any], order: dict[str, Any], fingerprint: str
) -> Started:
    if saga["fingerprint"] != fingerprint:
        return "conflict"
    if saga["status"] == state.RUNNING:
        event = first_event(EventType.ORDER_CREATED, order, pipeline.services.now())
        pipeline.retrying(lambda: pipeline.publish([event]))
    return "exists"


def _stored(store: DocumentStore, order_id: str) -> dict[str, Any]:
    saga = state.read(store, order_id)
    if saga is None:  # documents are never deleted, so this is a store fault
        raise StoreUnavailable(f"saga {order_id!r}: 409 on create, then not found")
    return saga
