"""Shipping: one shipment per order, cancelled with a tombstone that refuses a late shipment."""

from __future__ import annotations

from saga.ports import DocumentStore
from saga.shipping import cancel_shipment, ship_order
from tests.documents import get_shipment

LINES = [{"sku": "b", "quantity": 1}, {"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 1}]


def test_a_shipment_is_created_once_with_merged_lines(store: DocumentStore) -> None:
    first = ship_order(store, "o1", LINES)
    assert first == {
        "ok": True,
        "code": None,
        "message": None,
        "order_id": "o1",
        "items": [{"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 2}],
        "tracking_id": "TRK-o1",
        "state": "shipped",
    }
    assert ship_order(store, "o1", LINES) == first


def test_cancelling_a_shipment_cancels_it_once(store: DocumentStore) -> None:
    ship_order(store, "o1", LINES)
    first = cancel_shipment(store, "o1")
    assert (first["ok"], first["state"]) == (True, "cancelled")
    assert cancel_shipment(store, "o1") == first


def test_cancel_before_shipping_leaves_a_tombstone_that_refuses_the_late_shipment(
    store: DocumentStore,
) -> None:
    cancel_shipment(store, "o1")
    late = ship_order(store, "o1", LINES)
    assert (late["ok"], late["code"], late["items"]) == (False, "compensated", [])
    shipment = get_shipment(store, "o1")
    assert shipment is not None and shipment["state"] == "cancelled"
