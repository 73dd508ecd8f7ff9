"""Orders: created pending, confirmed when the saga completes, cancelled when it compensates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saga import catalogue, models
from saga.concurrency import create_or_read, undo_or_tombstone, update_with_retry
from saga.containers import ORDERS
from saga.models import CANCELLED, CONFIRMED, PENDING
from saga.ports import Document, DocumentStore
from saga.results import (
    COMPENSATED,
    INVALID_ORDER,
    ORDER_CANCELLED,
    ORDER_CONFLICT,
    UNKNOWN_ORDER,
    UNKNOWN_SKU,
    Result,
    failure,
    success,
)

_FIELDS = ("order_id", "customer_id", "items", "amount_minor", "state", "reason")


def create_order(
    store: DocumentStore,
    order_id: str,
    customer_id: str,
    items: list[dict[str, Any]],
    amount_minor: int | None,
    prices: Mapping[str, int | None] | None = None,
) -> Result:
    """Record a pending order, priced from the catalogue unless ``amount_minor`` is given.

    ``prices`` (SKU -> unit price, None for a SKU the catalogue lacks) are the catalogue's answers
    looked up beforehand; without them each SKU's price is read here. Creating the order again
    returns the stored one; the same id with another payload is a conflict.
    """
    problem = models.items_problem(items)
    if problem is None and amount_minor is not None and not models.is_count(amount_minor):
        problem = "amount_minor must be a non-negative integer"
    if problem is not None:
        return failure(INVALID_ORDER, problem, order_id=order_id)
    quantities = models.merge_items(items)
    if prices is None:
        prices = catalogue.unit_prices(store, quantities)
    unknown = [sku for sku in quantities if prices.get(sku) is None]
    if unknown:
        message = f"unknown sku(s): {', '.join(unknown)}"
        return failure(UNKNOWN_SKU, message, order_id=order_id, skus=unknown)
    if amount_minor is None:
        total = sum((prices[sku] or 0) * quantity for sku, quantity in quantities.items())
    else:
        total = amount_minor
    order = _order(order_id, customer_id, models.item_list(quantities), total)
    stored = create_or_read(store, ORDERS, order_id, order)
    return _creation_result(stored, order, compare_amount=amount_minor is not None)


def cancel_order(store: DocumentStore, order_id: str, reason: str) -> Result:
    """Cancel the order; with none yet leave a cancelled tombstone so a late create cannot land."""

    def cancel(order: Document) -> bool:
        if order["state"] == CANCELLED:
            return False
        order.update(state=CANCELLED, reason=reason)
        return True

    tombstone = _order(order_id, None, None, None, state=CANCELLED, reason=reason)
    stored = undo_or_tombstone(store, ORDERS, order_id, tombstone, cancel)
    return success(**models.pick(stored, _FIELDS))


def confirm_order(store: DocumentStore, order_id: str) -> Result:
    """Mark a pending order confirmed (the saga's last step); a cancelled one stays cancelled."""

    def confirm(order: Document | None) -> Document | None:
        if order is None or order["state"] != PENDING:
            return None
        order["state"] = CONFIRMED
        return order

    stored = update_with_retry(store, ORDERS, order_id, order_id, confirm)
    if stored is None:
        return failure(UNKNOWN_ORDER, f"no order {order_id!r}", order_id=order_id)
    data = models.pick(stored, _FIELDS)
    if stored["state"] == CANCELLED:
        message = f"order {order_id!r} was already cancelled"
        return failure(COMPENSATED, message, **data)
    return success(**data)


def get_order(store: DocumentStore, order_id: str) -> Document | None:
    """The order document (without store metadata), or None."""
    return models.public(store.read(ORDERS, order_id, order_id))


def _creation_result(stored: Document, order: Document, compare_amount: bool) -> Result:
    order_id = order["order_id"]
    data = models.pick(stored, _FIELDS)
    if stored["state"] == CANCELLED and stored["items"] is None:
        message = f"order {order_id!r} was cancelled before it was created"
        return failure(COMPENSATED, message, **data)
    if not _same_payload(stored, order, compare_amount):
        message = f"order {order_id!r} already exists with a different payload"
        return failure(ORDER_CONFLICT, message, order_id=order_id)
    if stored["state"] == CANCELLED:
        return failure(ORDER_CANCELLED, f"order {order_id!r} was cancelled", **data)
    return success(**data)


def _same_payload(stored: Document, order: Document, compare_amount: bool) -> bool:
    # A computed amount is not compared: a price change between two tries is not a new order.
    keys = ("customer_id", "items", "amount_minor") if compare_amount else ("customer_id", "items")
    return models.pick(stored, keys) == models.pick(order, keys)


def _order(
    order_id: str,
    customer_id: str | None,
    items: list[dict[str, Any]] | None,
    amount_minor: int | None,
    state: str = PENDING,
    reason: str | None = None,
) -> Document:
    """An order document; a tombstone (cancelled before created) has no customer, items, amount."""
    return {
        "id": order_id,
        "order_id": order_id,
        "customer_id": customer_id,
        "items": items,
        "amount_minor": amount_minor,
        "state": state,
        "reason": reason,
    }
