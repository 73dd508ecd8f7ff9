"""Shipping: one shipment document per order (id = order id), shipped or cancelled."""

from __future__ import annotations

from typing import Any

from saga import models
from saga.concurrency import create_or_read, undo_or_tombstone
from saga.containers import SHIPMENTS
from saga.models import CANCELLED, SHIPPED
from saga.ports import Document, DocumentStore
from saga.results import COMPENSATED, Result, failure, success

_FIELDS = ("order_id", "items", "tracking_id", "state")


def ship_order(store: DocumentStore, order_id: str, items: list[dict[str, Any]]) -> Result:
    """Ship the order's items once; a cancelled shipment (tombstone) refuses a late shipment."""
    lines = models.item_list(models.merge_items(items))
    stored = create_or_read(store, SHIPMENTS, order_id, _shipment(order_id, lines, SHIPPED))
    data = models.pick(stored, _FIELDS)
    if stored["state"] == CANCELLED:
        message = f"shipment of order {order_id!r} was already cancelled"
        return failure(COMPENSATED, message, **data)
    return success(**data)


def cancel_shipment(store: DocumentStore, order_id: str) -> Result:
    """Cancel the order's shipment; with none yet leave a cancelled tombstone."""

    def cancel(shipment: Document) -> bool:
        if shipment["state"] == CANCELLED:
            return False
        shipment["state"] = CANCELLED
        return True

    tombstone = _shipment(order_id, [], CANCELLED)
    stored = undo_or_tombstone(store, SHIPMENTS, order_id, tombstone, cancel)
    return success(**models.pick(stored, _FIELDS))


def _shipment(order_id: str, items: list[dict[str, Any]], state: str) -> Document:
    return {
        "id": order_id,
        "order_id": order_id,
        "items": items,
        "tracking_id": f"TRK-{order_id}",
        "state": state,
    }
