"""Inventory: a small stock document per SKU (available / reserved / shipped) and one reservation
document per (order, SKU) in the SKU's partition, so no document grows with the orders.

Every step on a SKU is one transactional batch in its partition: create or patch the order's
reservation, and ``incr`` the stock counters, so nothing reads and rewrites the hot stock document.
Invariant per SKU: available + reserved + shipped is constant and never negative.
"""

from __future__ import annotations

from typing import Any

from saga import models
from saga.containers import INVENTORY
from saga.errors import (
    AlreadyExists,
    BatchFailed,
    ConcurrencyExhausted,
    NotFound,
    StoreUnavailable,
)
from saga.models import COMMITTED, RELEASED, RESERVED
from saga.operations import Condition, Create, Patch, Read
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

# A guess at the reservation (state and quantity) that the next batch's predicate checks.
Guess = dict[str, Any]
# The batch patches only the order's own reservation document, which only that order's steps
# touch: a few attempts settle any race between a saga's own retries.
_ATTEMPTS = 4


def reserve_inventory(store: DocumentStore, order_id: str, items: list[dict[str, Any]]) -> Result:
    """Reserve every item for the order, all or nothing: a refusal releases what this call held."""
    problem = models.items_problem(items)  # a negative quantity would mint stock
    if problem is not None:
        return failure(INVALID_ORDER, problem, order_id=order_id)
    quantities = models.merge_items(items)
    for position, (sku, quantity) in enumerate(quantities.items()):
        refusal = _reserve_one(store, order_id, sku, quantity)
        if refusal is not None:
            for held in list(quantities)[:position]:
                _release_one(store, order_id, held, quantities[held], refusal["code"])
            return refusal
    return success(order_id=order_id, items=models.item_list(quantities))


def release_inventory(store: DocumentStore, order_id: str, items: list[dict[str, Any]]) -> Result:
    """Undo the order's reservations; a SKU with none gets a tombstone against a late reserve.

    ``items`` carries the quantities the saga reserved (one batch per SKU when they match the
    reservation; the reservation document is the truth either way).
    """
    quantities = models.merge_items(items)
    held = {sku: _release_one(store, order_id, sku, q, None) for sku, q in quantities.items()}
    return success(order_id=order_id, items=_entry_list(held))


def commit_inventory(store: DocumentStore, order_id: str, items: list[dict[str, Any]]) -> Result:
    """Turn the order's reservations into shipped stock (reserved -> shipped)."""
    committed: dict[str, Document | None] = {}
    for sku, quantity in models.merge_items(items).items():
        entry = _commit_one(store, order_id, sku, quantity)
        if entry is None or entry["state"] != COMMITTED:
            return _commit_refusal(store, order_id, sku, entry)
        committed[sku] = entry
    return success(order_id=order_id, items=_entry_list(committed))


def get_item(store: DocumentStore, sku: str) -> Document | None:
    """The stock document for ``sku`` (without store metadata), or None."""
    return models.public(store.read(INVENTORY, sku, sku))


def get_reservation(store: DocumentStore, sku: str, order_id: str) -> Document | None:
    """The order's reservation document in ``sku`` (without store metadata), or None."""
    return models.public(store.read(INVENTORY, sku, models.reservation_id(order_id)))


def _reserve_one(store: DocumentStore, order_id: str, sku: str, quantity: int) -> Result | None:
    """Reserve one SKU in one batch; None when reserved (now or earlier), else the refusal."""
    take = Patch(
        sku,
        incr={"available": -quantity, "reserved": quantity},
        where=(Condition("available", ">=", quantity),),
    )
    reservation = models.new_reservation(order_id, sku, quantity, RESERVED)
    where = {"order_id": order_id, "sku": sku}
    try:
        store.batch(INVENTORY, sku, [Create(reservation), take])
        return None
    except BatchFailed as failed:
        if isinstance(failed.cause, NotFound):
            return failure(UNKNOWN_SKU, f"unknown sku {sku!r}", **where)
        if not isinstance(failed.cause, AlreadyExists):  # the predicate: too little available
            message = f"{sku!r}: {quantity} requested, not that many available"
            return failure(OUT_OF_STOCK, message, **where)
    entry = _read_reservation(store, order_id, sku)  # reserved before: answer as the first time
    if entry is not None and entry["state"] == RELEASED:
        # A rolled-back reserve stored why, so a retry gives the first call's answer.
        code = entry.get("code", COMPENSATED)
        return failure(code, f"{sku!r} already released ({code})", **where)
    return None


def _release_one(
    store: DocumentStore, order_id: str, sku: str, quantity: int, code: str | None
) -> Document | None:
    """Release (and restock) the order's reservation of ``sku``; with none, leave a released
    tombstone. Returns the reservation as it stands, None for an unknown SKU."""
    guess: Guess | None = {"state": RESERVED, "quantity": quantity}
    reason = {} if code is None else {"code": code}
    for _ in range(_ATTEMPTS):
        if guess is None:
            tombstone = models.new_reservation(order_id, sku, 0, RELEASED, code)
            guess, done = _leave_tombstone(store, sku, tombstone)
            if done:
                return guess
            continue
        if guess["state"] == RELEASED:
            return guess
        held = "reserved" if guess["state"] == RESERVED else "shipped"
        counters = {"available": guess["quantity"], held: -guess["quantity"]}
        guess, done = _move(store, order_id, sku, guess, {"state": RELEASED, **reason}, counters)
        if done:
            return guess
    raise ConcurrencyExhausted(f"{sku}/{order_id}: the reservation kept changing under release")


def _commit_one(store: DocumentStore, order_id: str, sku: str, quantity: int) -> Document | None:
    """Commit the order's reservation of ``sku``; returns it as it stands (None: there is none)."""
    guess: Guess | None = {"state": RESERVED, "quantity": quantity}
    for _ in range(_ATTEMPTS):
        if guess is None or guess["state"] != RESERVED:
            return guess
        counters = {"reserved": -guess["quantity"], "shipped": guess["quantity"]}
        guess, done = _move(store, order_id, sku, guess, {"state": COMMITTED}, counters)
        if done:
            return guess
    raise ConcurrencyExhausted(f"{sku}/{order_id}: the reservation kept changing under commit")


def _move(
    store: DocumentStore,
    order_id: str,
    sku: str,
    guess: Guess,
    change: dict[str, Any],
    counters: dict[str, int],
) -> tuple[Document | None, bool]:
    """One batch: change the reservation if it is as guessed, and move the counters with it.
    Returns (reservation, True) when done, else (the reservation as read now, False)."""
    expected = (
        Condition("state", "=", guess["state"]),
        Condition("quantity", "=", guess["quantity"]),
    )
    ops = [
        Patch(models.reservation_id(order_id), assign=change, where=expected),
        Patch(sku, incr=counters),
    ]
    try:
        return store.batch(INVENTORY, sku, ops)[0], True
    except BatchFailed as failed:
        if failed.index != 0:  # a reservation without its stock document: damaged data
            raise StoreUnavailable(f"{sku}: reservation without a stock document") from failed
    return _read_reservation(store, order_id, sku), False


def _leave_tombstone(
    store: DocumentStore, sku: str, tombstone: Document
) -> tuple[Document | None, bool]:
    """Create the released tombstone where the SKU exists (one batch: the read finds the stock).
    Returns (tombstone or None for an unknown SKU, True), or (what a rival created, False)."""
    try:
        return store.batch(INVENTORY, sku, [Read(sku), Create(tombstone)])[1], True
    except BatchFailed as failed:
        if failed.index == 0:
            return None, True
    return _read_reservation(store, tombstone["order_id"], sku), False


def _read_reservation(store: DocumentStore, order_id: str, sku: str) -> Document | None:
    return store.read(INVENTORY, sku, models.reservation_id(order_id))


def _commit_refusal(
    store: DocumentStore, order_id: str, sku: str, entry: Document | None
) -> Result:
    where = {"order_id": order_id, "sku": sku}
    if entry is not None:
        return failure(COMPENSATED, f"{sku!r} reservation was released", **where)
    if store.read(INVENTORY, sku, sku) is None:
        return failure(UNKNOWN_SKU, f"unknown sku {sku!r}", **where)
    return failure(NOT_RESERVED, f"{sku!r} has no reservation", **where)


def _entry_list(entries: dict[str, Document | None]) -> list[dict[str, Any]]:
    """``[{"sku", "quantity", "state"}]``; an unknown SKU shows quantity 0 and state None."""
    return [
        {
            "sku": sku,
            "quantity": entry["quantity"] if entry else 0,
            "state": entry["state"] if entry else None,
        }
        for sku, entry in entries.items()
    ]
