"""Stock is conserved and never oversold: under competing threads, and over random sequences of
reserve, release and commit (a Hypothesis state machine)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from saga.containers import INVENTORY
from saga.inventory import (
    commit_inventory,
    get_item,
    get_reservation,
    release_inventory,
    reserve_inventory,
)
from saga.models import RESERVATION
from saga.ports import DocumentStore
from saga.seed import ensure_item
from tests.fakes import InMemoryStore

STOCK = {"a": 6, "b": 4}
ORDER_IDS = st.sampled_from([f"o{i}" for i in range(5)])
LINES = st.lists(
    st.fixed_dictionaries({"sku": st.sampled_from(sorted(STOCK)), "quantity": st.integers(1, 4)}),
    min_size=1,
    max_size=3,
)


def assert_conserved(store: DocumentStore, sku: str, stock: int) -> None:
    """available + reserved + shipped == stock, none negative, and the reservations agree."""
    item = get_item(store, sku)
    assert item is not None
    assert min(item["available"], item["reserved"], item["shipped"]) >= 0
    assert item["available"] + item["reserved"] + item["shipped"] == stock
    held: dict[str, int] = {"reserved": 0, "committed": 0, "released": 0}
    for entry in store.query(INVENTORY, {"kind": RESERVATION}, partition=sku):
        held[entry["state"]] += entry["quantity"]
    assert (held["reserved"], held["committed"]) == (item["reserved"], item["shipped"])


def test_a_hundred_concurrent_single_reservations_never_oversell_sixty(
    store: DocumentStore,
) -> None:
    ensure_item(store, "hot", 60, 100)
    start = threading.Barrier(100)

    def reserve_one(index: int) -> dict[str, Any]:
        start.wait()
        return reserve_inventory(store, f"o{index}", [{"sku": "hot", "quantity": 1}])

    with ThreadPoolExecutor(100) as pool:
        results = list(pool.map(reserve_one, range(100)))
    assert sum(result["ok"] for result in results) == 60
    assert {result["code"] for result in results if not result["ok"]} == {"out_of_stock"}
    assert_conserved(store, "hot", 60)


class InventoryMachine(RuleBasedStateMachine):
    """Any interleaving of the three operations, retries included, conserves stock."""

    def __init__(self) -> None:
        super().__init__()
        self.store = InMemoryStore()
        for sku, stock in STOCK.items():
            ensure_item(self.store, sku, stock, 100)

    @rule(order_id=ORDER_IDS, lines=LINES)
    def reserve(self, order_id: str, lines: list[dict[str, Any]]) -> None:
        result = reserve_inventory(self.store, order_id, lines)
        if result["ok"]:
            for sku in {line["sku"] for line in lines}:
                entry = self.entry(sku, order_id)
                assert entry is not None and entry["state"] in ("reserved", "committed")

    # Release and commit are given random quantities: a wrong one costs a re-read, never stock.
    @rule(order_id=ORDER_IDS, lines=LINES)
    def release(self, order_id: str, lines: list[dict[str, Any]]) -> None:
        release_inventory(self.store, order_id, lines)
        for sku in {line["sku"] for line in lines}:
            entry = self.entry(sku, order_id)
            assert entry is not None and entry["state"] in ("released", "committed")

    @rule(order_id=ORDER_IDS, lines=LINES)
    def commit(self, order_id: str, lines: list[dict[str, Any]]) -> None:
        before = {line["sku"]: self.entry(line["sku"], order_id) for line in lines}
        result = commit_inventory(self.store, order_id, lines)
        if result["ok"]:
            assert all(entry is not None for entry in before.values())

    @invariant()
    def stock_is_conserved(self) -> None:
        for sku, stock in STOCK.items():
            assert_conserved(self.store, sku, stock)

    def entry(self, sku: str, order_id: str) -> dict[str, Any] | None:
        return get_reservation(self.store, sku, order_id)


TestInventoryMachine = InventoryMachine.TestCase
TestInventoryMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
