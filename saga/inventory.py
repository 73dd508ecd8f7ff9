"""Inventory: reserve, release and commit stock via a per-order ledger inside each SKU's document.

Each change is one ETag-conditional write to one document, so it is atomic and idempotent without
transactions. Invariant per item: available + reserved + shipped is constant and never negative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from saga import models
from saga.concurrency import update_with_retry
from saga.containers import INVENTORY
from saga.models import COMMITTED, RELEASED, RESERVED
from saga.ports import Document, DocumentStore
from saga.results import (
    COMPENSATED,
    INVALID_ORDER,
    NOT_RESERVED,
    OUT_OF_STOCK,
    UNKNOWN_SKU,
    Result,
    failure,
    success,
)

Entry = dict[str, Any]
# Edits an item for one order in place; False means "nothing to do" (no write).
LedgerChange = Callable[[Document, str], bool]


def reserve_stock(store: DocumentStore, order_id: str, items: list[dict[str, Any]]) -> Result:
    """Reserve every item for the order, all or nothing: a refusal releases what this call held."""
    problem = models.items_problem(items)  # a negative quantity would mint stock
    if problem is not None:
        return failure("reserve_stock", INVALID_ORDER, problem, order_id=order_id)
    quantities = models.merge_items(items)
    for position, (sku, quantity) in enumerate(quantities.items()):
        refusal = _reserve_one(store, order_id, sku, quantity)
        if refusal is not None:
            for held in list(quantities)[:position]:
                _change(store, order_id, held, _release(refusal["code"]))
            return refusal
    return success("reserve_stock", order_id=order_id, items=models.item_list(quantities))


def release_stock(store: DocumentStore, order_id: str, skus: list[str]) -> Result:
    """Undo the order's reservations; a SKU with none gets a tombstone against a late reserve."""
    entries = {sku: _change(store, order_id, sku, _release(None))[1] for sku in sorted(set(skus))}
    return success("release_stock", order_id=order_id, items=_entry_list(entries))


def commit_stock(store: DocumentStore, order_id: str, skus: list[str]) -> Result:
    """Turn the order's reservations into shipped stock (reserved -> shipped)."""
    entries: dict[str, Entry | None] = {}
    for sku in sorted(set(skus)):
        item, entry = _change(store, order_id, sku, _commit)
        if item is None or entry is None or entry["state"] != COMMITTED:
            return _commit_refusal(order_id, sku, item, entry)
        entries[sku] = entry
    return success("commit_stock", order_id=order_id, items=_entry_list(entries))


def get_item(store: DocumentStore, sku: str) -> Document | None:
    """The inventory item for ``sku`` (without store metadata), or None."""
    return models.public(store.read(INVENTORY, sku, sku))


def _change(
    store: DocumentStore, order_id: str, sku: str, change: LedgerChange
) -> tuple[Document | None, Entry | None]:
    """Apply ``change`` to the SKU's item; return the item and the order's entry as they stand."""

    def mutate(item: Document | None) -> Document | None:
        return item if item is not None and change(item, order_id) else None

    item = update_with_retry(store, INVENTORY, sku, sku, mutate)
    return item, (item["reservations"].get(order_id) if item is not None else None)


def _reserve_one(store: DocumentStore, order_id: str, sku: str, quantity: int) -> Result | None:
    """Reserve one SKU; None when reserved (now or earlier), else the refusal."""

    def reserve(item: Document, order: str) -> bool:
        if order in item["reservations"] or item["available"] < quantity:
            return False
        item["available"] -= quantity
        item["reserved"] += quantity
        item["reservations"][order] = {"quantity": quantity, "state": RESERVED}
        return True

    item, entry = _change(store, order_id, sku, reserve)
    where = {"order_id": order_id, "sku": sku}
    if item is None:
        return failure("reserve_stock", UNKNOWN_SKU, f"unknown sku {sku!r}", **where)
    if entry is None:
        message = f"{sku!r}: {quantity} requested, {item['available']} available"
        return failure("reserve_stock", OUT_OF_STOCK, message, **where)
    if entry["state"] == RELEASED:
        # A rolled-back reserve stored why, so a retry gives the first call's answer.
        code = entry.get("code", COMPENSATED)
        return failure("reserve_stock", code, f"{sku!r} already released ({code})", **where)
    return None


def _release(code: str | None) -> LedgerChange:
    """A change releasing the order's entry; ``code`` records why a reserve rolled itself back."""
    reason = {} if code is None else {"code": code}

    def release(item: Document, order: str) -> bool:
        entry = item["reservations"].get(order)
        if entry is None:
            item["reservations"][order] = {"quantity": 0, "state": RELEASED, **reason}
            return True
        if entry["state"] == RELEASED:
            return False
        # A committed entry is restocked: the saga compensating it also cancels the shipment.
        held = "reserved" if entry["state"] == RESERVED else "shipped"
        item["available"] += entry["quantity"]
        item[held] -= entry["quantity"]
        entry.update(state=RELEASED, **reason)
        return True

    return release


def _commit(item: Document, order: str) -> bool:
    entry = item["reservations"].get(order)
    if entry is None or entry["state"] != RESERVED:
        return False
    item["reserved"] -= entry["quantity"]
    item["shipped"] += entry["quantity"]
    entry["state"] = COMMITTED
    return True


def _commit_refusal(order_id: str, sku: str, item: Document | None, entry: Entry | None) -> Result:
    where = {"order_id": order_id, "sku": sku}
    if item is None:
        return failure("commit_stock", UNKNOWN_SKU, f"unknown sku {sku!r}", **where)
    if entry is None:
        return failure("commit_stock", NOT_RESERVED, f"{sku!r} has no reservation", **where)
    return failure("commit_stock", COMPENSATED, f"{sku!r} reservation was released", **where)


def _entry_list(entries: dict[str, Entry | None]) -> list[dict[str, Any]]:
    """``[{"sku", "quantity", "state"}]``; an unknown SKU shows quantity 0 and state None."""
    return [
        {
            "sku": sku,
            "quantity": entry["quantity"] if entry else 0,
            "state": entry["state"] if entry else None,
        }
        for sku, entry in entries.items()
    ]
