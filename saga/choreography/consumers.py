"""Who reacts to what: one consumer (consumer group) per service plus the read-model projector.
Failures flow backwards: cancel shipment -> refund -> release stock -> cancel order."""

from __future__ import annotations

import logging

from observability import log_event
from saga.choreography import reactions as r
from saga.choreography import state
from saga.choreography.reactions import Consumer, Reaction, Services
from saga.events import Envelope, EventType

E = EventType
log = logging.getLogger("saga.choreography")
RELEASE = r.undo("release_inventory", r.release, E.INVENTORY_RELEASED)
REFUND = r.undo("refund_payment", r.refund, E.PAYMENT_REFUNDED)
CANCEL_SHIPMENT = r.undo("cancel_shipment", r.cancel_shipment, E.SHIPMENT_CANCELLED)
CANCEL_ORDER = r.undo("cancel_order", r.cancel_order, E.ORDER_CANCELLED)
# A failed abort is not reported: the watchdog asks again while the saga is overdue.
ABORT = Reaction("abort_saga", r.abort, None)

INVENTORY = Consumer(
    "inventory",
    {
        E.ORDER_CREATED: r.forward(
            "reserve_inventory", r.reserve, E.INVENTORY_RESERVED, E.INVENTORY_RESERVATION_FAILED
        ),
        E.PAYMENT_FAILED: RELEASE,
        E.PAYMENT_REFUNDED: RELEASE,
    },
    service="inventory",
)
PAYMENT = Consumer(
    "payment",
    {
        E.INVENTORY_RESERVED: r.forward(
            "charge_payment", r.charge, E.PAYMENT_COMPLETED, E.PAYMENT_FAILED
        ),
        E.SHIPPING_FAILED: REFUND,
        E.SHIPMENT_CANCELLED: REFUND,
    },
    service="payment",
)
SHIPPING = Consumer(
    "shipping",
    {
        E.PAYMENT_COMPLETED: r.forward("ship_order", r.ship, E.ORDER_SHIPPED, E.SHIPPING_FAILED),
        E.ORDER_COMPLETION_FAILED: CANCEL_SHIPMENT,
        E.SAGA_ABORTED: CANCEL_SHIPMENT,
    },
    service="shipping",
)
ORDERS = Consumer(
    "orders",
    {
        E.ORDER_SHIPPED: r.forward(
            "complete_order", r.complete, E.ORDER_COMPLETED, E.ORDER_COMPLETION_FAILED
        ),
        E.INVENTORY_RESERVATION_FAILED: CANCEL_ORDER,
        E.INVENTORY_RELEASED: CANCEL_ORDER,
        E.SAGA_TIMED_OUT: ABORT,
        E.STEP_FAULTED: ABORT,
    },
    service="order",
)


def _project(services: Services, event: Envelope) -> list[Envelope]:
    ended = state.project(services.store, event, services.now())
    if ended is not None:
        log_event(
            log,
            logging.ERROR if ended == state.COMPENSATION_FAILED else logging.INFO,
            "saga_finished",
            saga_id=event.order_id,
            order_id=event.order_id,
            outcome=ended,
        )
    return []


# The projector's writes are idempotent by construction, so it keeps no ledger.
PROJECTOR = Consumer(
    "projector", dict.fromkeys(E, Reaction("project_saga_state", _project, None)), deduplicate=False
)
ALL = (INVENTORY, PAYMENT, SHIPPING, ORDERS, PROJECTOR)
