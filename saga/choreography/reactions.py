"""Reactions: a service call made on an event, and the events its result produces. Forward steps
report done or refused; compensations always report done (they are idempotent and leave
tombstones); an abort is decided by the orders service alone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from saga import inventory, orders, payments, shipping
from saga.events import Envelope, EventType, OrderSnapshot, follow
from saga.models import CANCELLED, CONFIRMED
from saga.ports import DocumentStore
from saga.results import COMPENSATED, Result, failure

E = EventType


# Called before each step: a refusal to return instead of running it, or None; may raise a
# TechnicalFault. The dev and test failure injection (SAGA_FAULT_INJECTION) plugs in here.
Gate = Callable[[str, OrderSnapshot], Result | None]


def no_gate(step: str, order: OrderSnapshot) -> Result | None:
    return None


@dataclass(frozen=True)
class Services:
    """What a reaction needs: the store, the payment limit, the clock, the step gate."""

    store: DocumentStore
    payment_limit_minor: int
    now: Callable[[], datetime]
    gate: Gate = no_gate


Call = Callable[[Services, OrderSnapshot], Result]
Run = Callable[[Services, Envelope], list[Envelope]]


@dataclass(frozen=True)
class Reaction:
    """A step run on one event type; ``on_fault`` is published when technical faults persist.
    A compensation (``compensates``) gets the compensation retry budget."""

    step: str
    run: Run
    on_fault: EventType | None
    compensates: bool = False


@dataclass(frozen=True)
class Consumer:
    """One consumer group. ``deduplicate``: keep a processed-event ledger (the read-model
    projector is idempotent by construction and skips it)."""

    name: str
    reactions: Mapping[EventType, Reaction]
    deduplicate: bool = True
    # The service whose steps these are, as the ``simulate`` block names it ("" for none).
    service: str = ""


def forward(step: str, call: Call, done: EventType, refused: EventType) -> Reaction:
    """A forward step: ``done`` when the service agrees, ``refused`` (with its reason) if not."""

    def run(services: Services, event: Envelope) -> list[Envelope]:
        result = services.gate(step, event.data.order) or call(services, event.data.order)
        if result["ok"]:
            return [follow(event, done, services.now())]
        reason = {"step": step, "code": result["code"], "message": result["message"]}
        return [follow(event, refused, services.now(), reason)]

    return Reaction(step, run, E.STEP_FAULTED)


def undo(step: str, call: Call, done: EventType) -> Reaction:
    """A compensation: idempotent, leaves a tombstone, always reports ``done``."""

    def run(services: Services, event: Envelope) -> list[Envelope]:
        services.gate(step, event.data.order)
        call(services, event.data.order)
        return [follow(event, done, services.now())]

    return Reaction(step, run, E.COMPENSATION_FAILED, compensates=True)


def abort(services: Services, event: Envelope) -> list[Envelope]:
    """Decide a timed-out or faulted saga: a confirmed order stands (say so again), anything else
    is cancelled first, so a late completion cannot land, then every service compensates."""
    found = orders.get_order(services.store, event.order_id)
    if found is not None and found["state"] == CONFIRMED:
        return [follow(event, E.ORDER_COMPLETED, services.now())]
    orders.cancel_order(services.store, event.order_id, f"saga aborted ({event.type})")
    reason = event.data.reason.model_dump() if event.data.reason else None
    return [follow(event, E.SAGA_ABORTED, services.now(), reason)]


def items(order: OrderSnapshot) -> list[dict[str, Any]]:
    return [line.model_dump() for line in order.items]


def complete(services: Services, order: OrderSnapshot) -> Result:
    # Only this consumer cancels or confirms orders, one event at a time per order, so checking
    # first keeps stock of a cancelled order from being committed.
    store = services.store
    found = orders.get_order(store, order.order_id)
    if found is not None and found["state"] == CANCELLED:
        return failure(COMPENSATED, f"order {order.order_id!r} was cancelled")
    committed = inventory.commit_inventory(store, order.order_id, items(order))
    return committed if not committed["ok"] else orders.confirm_order(store, order.order_id)


def reserve(services: Services, order: OrderSnapshot) -> Result:
    return inventory.reserve_inventory(services.store, order.order_id, items(order))


def release(services: Services, order: OrderSnapshot) -> Result:
    return inventory.release_inventory(services.store, order.order_id, items(order))


def charge(services: Services, order: OrderSnapshot) -> Result:
    return payments.charge_payment(
        services.store,
        order.order_id,
        order.customer_id,
        order.amount_minor,
        services.payment_limit_minor,
    )


def refund(services: Services, order: OrderSnapshot) -> Result:
    return payments.refund_payment(services.store, order.order_id)


def ship(services: Services, order: OrderSnapshot) -> Result:
    return shipping.ship_order(services.store, order.order_id, items(order))


def cancel_shipment(services: Services, order: OrderSnapshot) -> Result:
    return shipping.cancel_shipment(services.store, order.order_id)


def cancel_order(services: Services, order: OrderSnapshot) -> Result:
    return orders.cancel_order(services.store, order.order_id, "saga compensated")
