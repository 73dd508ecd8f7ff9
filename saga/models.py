"""Document shapes and states shared by the services; amounts are integer minor units, never floats.

Every document carries its container's partition field (``saga.containers.PARTITION_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from saga.ports import Document

# Order states.
PENDING = "pending"
CONFIRMED = "confirmed"
CANCELLED = "cancelled"
# Reservation states (one reservation document per order and SKU).
RESERVED = "reserved"
RELEASED = "released"
COMMITTED = "committed"
# The two kinds of document in the inventory container.
STOCK = "stock"
RESERVATION = "reservation"
# Payment states.
CHARGED = "charged"
DECLINED = "declined"
REFUNDED = "refunded"
VOIDED = "voided"  # tombstone: refunded before any charge arrived
# Shipment states (CANCELLED is shared with orders).
SHIPPED = "shipped"


def merge_items(items: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Sum quantities per SKU, in SKU order, so one SKU is one entry whatever the input repeats."""
    totals: dict[str, int] = {}
    for item in items:
        totals[item["sku"]] = totals.get(item["sku"], 0) + item["quantity"]
    return dict(sorted(totals.items()))


def item_list(quantities: Mapping[str, int]) -> list[dict[str, Any]]:
    """The JSON form of per-SKU quantities: ``[{"sku": ..., "quantity": ...}]``."""
    return [{"sku": sku, "quantity": quantity} for sku, quantity in quantities.items()]


def items_problem(items: object) -> str | None:
    """Why ``items`` is not a valid list of order lines, or None when it is."""
    if not isinstance(items, list) or not items:
        return "items must be a non-empty list"
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str) or not item["sku"]:
            return "every item needs a non-empty string sku"
        if not is_count(item.get("quantity")) or item["quantity"] == 0:
            return f"quantity of {item['sku']!r} must be a positive integer"
    return None


def is_count(value: object) -> bool:
    """True for a non-negative int (bool and float excluded: money and stock are whole units)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def new_item(sku: str, stock: int, price_minor: int) -> Document:
    """A SKU's stock document (its id is the SKU) with ``stock`` available."""
    return {
        "id": sku,
        "sku": sku,
        "kind": STOCK,
        "price_minor": price_minor,
        "available": stock,
        "reserved": 0,
        "shipped": 0,
    }


def reservation_id(order_id: str) -> str:
    """The id of an order's reservation document, unique within each SKU's partition."""
    return f"reservation:{order_id}"


def new_reservation(
    order_id: str, sku: str, quantity: int, state: str, code: str | None = None
) -> Document:
    """The order's reservation of ``quantity`` units of ``sku``; ``code`` says why a reserve
    released itself (so a replay answers as the first call did)."""
    reason = {} if code is None else {"code": code}
    return {
        "id": reservation_id(order_id),
        "sku": sku,
        "kind": RESERVATION,
        "order_id": order_id,
        "quantity": quantity,
        "state": state,
        **reason,
    }


def pick(doc: Document, keys: Iterable[str]) -> Document:
    """The named fields of ``doc``: the data a service result reports."""
    return {key: doc[key] for key in keys}


def public(doc: Document | None) -> Document | None:
    """The document without store metadata (``_etag`` and friends)."""
    if doc is None:
        return None
    return {key: value for key, value in doc.items() if not key.startswith("_")}
