"""Demo data: every demo SKU created once, never reset by a second seeding."""

from __future__ import annotations

from saga.inventory import get_item, reserve_inventory
from saga.ports import DocumentStore
from saga.seed import (
    DEFAULT_SKU,
    DEMO_SKUS,
    DEMO_STOCK,
    SCARCE_SKU,
    SCARCE_STOCK,
    ensure_item,
    seed_demo_data,
)


def test_seeding_creates_every_demo_sku_with_generous_stock(store: DocumentStore) -> None:
    assert seed_demo_data(store) == len(DEMO_SKUS)
    assert {"a", "b", "c", DEFAULT_SKU} <= set(DEMO_SKUS)
    for sku, price in DEMO_SKUS.items():
        item = get_item(store, sku)
        assert item is not None
        stock = SCARCE_STOCK if sku == SCARCE_SKU else DEMO_STOCK
        assert (item["available"], item["price_minor"]) == (stock, price)


def test_seeding_again_creates_nothing_and_keeps_stock_levels(store: DocumentStore) -> None:
    seed_demo_data(store)
    reserve_inventory(store, "o1", [{"sku": "a", "quantity": 5}])
    assert seed_demo_data(store) == 0
    item = get_item(store, "a")
    assert item is not None and (item["available"], item["reserved"]) == (DEMO_STOCK - 5, 5)


def test_seeding_with_given_stock_creates_only_those_skus(store: DocumentStore) -> None:
    assert seed_demo_data(store, {"a": 3, "new-sku": 7}) == 2
    new = get_item(store, "new-sku")
    assert new is not None and (new["available"], new["price_minor"]) == (7, DEMO_SKUS[DEFAULT_SKU])
    assert get_item(store, "b") is None


def test_ensure_item_leaves_an_existing_item_alone(store: DocumentStore) -> None:
    assert ensure_item(store, "x", 5, 100) is True
    assert ensure_item(store, "x", 99, 1) is False
    item = get_item(store, "x")
    assert item is not None and (item["available"], item["price_minor"]) == (5, 100)
