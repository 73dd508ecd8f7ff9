"""Payments: one document per order (id = order id) records its charge, decline or refund."""

from __future__ import annotations

from saga import models
from saga.concurrency import create_or_read, undo_or_tombstone
from saga.containers import PAYMENTS
from saga.models import CHARGED, DECLINED, REFUNDED, VOIDED
from saga.ports import Document, DocumentStore
from saga.results import COMPENSATED, PAYMENT_DECLINED, Result, failure, success

_FIELDS = ("order_id", "customer_id", "amount_minor", "state")


def charge_payment(
    store: DocumentStore, order_id: str, customer_id: str, amount_minor: int, limit_minor: int
) -> Result:
    """Charge the order once; above ``limit_minor`` record a decline, so a retry gets it again."""
    state = DECLINED if amount_minor > limit_minor else CHARGED
    payment = _payment(order_id, customer_id, amount_minor, state)
    stored = create_or_read(store, PAYMENTS, order_id, payment)
    data = models.pick(stored, _FIELDS)
    if stored["state"] == DECLINED:
        message = f"{stored['amount_minor']} exceeds the limit of {limit_minor}"
        return failure(PAYMENT_DECLINED, message, **data)
    if stored["state"] in (REFUNDED, VOIDED):
        message = f"payment of order {order_id!r} was already {stored['state']}"
        return failure(COMPENSATED, message, **data)
    return success(**data)


def refund_payment(store: DocumentStore, order_id: str) -> Result:
    """Refund the charge; with none yet leave a "voided" tombstone so a late charge cannot land."""

    def refund(payment: Document) -> bool:
        if payment["state"] != CHARGED:
            return False
        payment["state"] = REFUNDED
        return True

    tombstone = _payment(order_id, None, 0, VOIDED)
    stored = undo_or_tombstone(store, PAYMENTS, order_id, tombstone, refund)
    refunded_minor = stored["amount_minor"] if stored["state"] == REFUNDED else 0
    return success(refunded_minor=refunded_minor, **models.pick(stored, _FIELDS))


def _payment(order_id: str, customer_id: str | None, amount_minor: int, state: str) -> Document:
    return {
        "id": order_id,
        "order_id": order_id,
        "customer_id": customer_id,
        "amount_minor": amount_minor,
        "state": state,
    }
