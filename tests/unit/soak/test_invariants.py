"""The soak's invariant checker finds what it must: every rule is shown passing on a store the
services left consistent, then failing on a store with that one thing broken."""

from __future__ import annotations

import pytest

from adapters.sqlite import SqliteStore
from saga import inventory, orders, payments, shipping
from saga.containers import DEADLETTERS, INVENTORY
from saga.seed import ensure_item
from tools.soak.invariants import Outcome, check

STOCK = {"a": 10, "b": 5}
LIMIT = 10**9


@pytest.fixture
def store() -> SqliteStore:
    store = SqliteStore(":memory:")
    for sku, units in STOCK.items():
        ensure_item(store, sku, units, price_minor=100)
    return store


def complete(store: SqliteStore, order_id: str, amount: int = 300) -> None:
    items = [{"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 1}]
    orders.create_order(store, order_id, "c", items, amount)
    inventory.reserve_inventory(store, order_id, items)
    payments.charge_payment(store, order_id, "c", amount, LIMIT)
    shipping.ship_order(store, order_id, items)
    inventory.commit_inventory(store, order_id, items)
    orders.confirm_order(store, order_id)


def compensate(store: SqliteStore, order_id: str) -> None:
    complete(store, order_id)
    shipping.cancel_shipment(store, order_id)
    payments.refund_payment(store, order_id)
    inventory.release_inventory(
        store, order_id, [{"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 1}]
    )
    orders.cancel_order(store, order_id, "test")


def rules(
    store: SqliteStore, outcomes: dict[str, Outcome], poisoned: frozenset[str] = frozenset()
) -> set[str]:
    return {v.rule for v in check(store, STOCK, outcomes, poisoned)}


def test_a_consistent_store_has_no_violation(store: SqliteStore) -> None:
    complete(store, "done")
    compensate(store, "undone")
    outcomes = {"done": Outcome("completed"), "undone": Outcome("compensated")}
    assert check(store, STOCK, outcomes) == []


def test_stock_that_does_not_add_up_or_goes_negative_is_found(store: SqliteStore) -> None:
    item = store.read(INVENTORY, "a", "a")
    assert item is not None
    store.replace(INVENTORY, "a", {**item, "available": -1}, item["_etag"])
    assert rules(store, {}) == {"stock_conserved", "stock_never_negative"}


def test_reserved_stock_no_reservation_document_holds_is_found(store: SqliteStore) -> None:
    item = store.read(INVENTORY, "b", "b")
    assert item is not None
    store.replace(INVENTORY, "b", {**item, "available": 4, "reserved": 1}, item["_etag"])
    assert rules(store, {}) == {"stock_ledger"}


def test_a_charge_other_than_the_order_amount_is_found(store: SqliteStore) -> None:
    orders.create_order(store, "o", "c", [{"sku": "a", "quantity": 1}], 300)
    payments.charge_payment(store, "o", "c", 301, LIMIT)
    assert "money_nets" in rules(store, {"o": Outcome("compensated")})


def test_a_compensated_saga_that_kept_its_charge_is_found(store: SqliteStore) -> None:
    compensate(store, "o")
    payment = store.read("payments", "o", "o")
    assert payment is not None
    store.replace("payments", "o", {**payment, "state": "charged"}, payment["_etag"])
    found = check(store, STOCK, {"o": Outcome("compensated")})
    assert [(v.rule, v.detail) for v in found] == [("compensated_effects", "payment still charged")]


def test_a_completed_saga_missing_its_shipment_is_found(store: SqliteStore) -> None:
    complete(store, "o")
    shipping.cancel_shipment(store, "o")
    assert rules(store, {"o": Outcome("completed")}) == {"completed_effects"}


def test_a_saga_still_running_or_failed_is_not_terminal(store: SqliteStore) -> None:
    complete(store, "o1")
    complete(store, "o2")
    assert rules(store, {"o1": Outcome("running"), "o2": Outcome("failed")}) == {"terminal"}


def test_dead_letters_must_belong_to_a_failed_compensation_or_deliberate_poison(
    store: SqliteStore,
) -> None:
    complete(store, "o")
    store.create(DEADLETTERS, "o", {"id": "x", "order_id": "o"})
    assert rules(store, {"o": Outcome("completed")}) == {"dead_letter_explained"}
    assert rules(store, {"o": Outcome("completed")}, frozenset({"o"})) == set()


def test_compensation_failed_needs_the_failed_step_and_a_dead_letter(store: SqliteStore) -> None:
    complete(store, "o")
    assert rules(store, {"o": Outcome("compensation_failed")}) == {"compensation_failed_effects"}
    store.create(DEADLETTERS, "o", {"id": "x", "order_id": "o"})
    assert rules(store, {"o": Outcome("compensation_failed", ("refund_payment",))}) == set()


def test_an_order_no_saga_of_the_run_created_is_found(store: SqliteStore) -> None:
    complete(store, "stray")
    assert rules(store, {}) == {"order_without_saga"}
