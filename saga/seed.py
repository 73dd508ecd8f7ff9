"""Demo catalogue: a few SKUs with generous stock so the README's examples work on a fresh store."""

from __future__ import annotations

from saga import models
from saga.containers import INVENTORY
from saga.errors import AlreadyExists
from saga.ports import DocumentStore

DEFAULT_SKU = "demo-widget"
DEMO_STOCK = 1_000_000
# A SKU with almost no stock, so the out-of-stock path can be shown with a plain request.
SCARCE_SKU = "limited-edition"
SCARCE_STOCK = 5
# SKU -> unit price in minor units (cents).
DEMO_SKUS: dict[str, int] = {
    "a": 1_000,
    "b": 2_500,
    "c": 499,
    DEFAULT_SKU: 100,
    "demo-gadget": 4_999,
    "demo-gizmo": 12_900,
    SCARCE_SKU: 25_000,
}


def ensure_item(store: DocumentStore, sku: str, stock: int, price_minor: int) -> bool:
    """Create the item with ``stock`` available unless it exists (then leave it as it is).

    Returns True when this call created it.
    """
    try:
        store.create(INVENTORY, sku, models.new_item(sku, stock, price_minor))
    except AlreadyExists:
        return False
    return True


def seed_demo_data(store: DocumentStore, stock: dict[str, int] | None = None) -> int:
    """Create the demo items that are missing; ``stock`` (SKU -> quantity) overrides the default
    catalogue (a SKU not in it costs the default SKU's price). Returns how many were created."""
    default = {**dict.fromkeys(DEMO_SKUS, DEMO_STOCK), SCARCE_SKU: SCARCE_STOCK}
    quantities = stock if stock is not None else default
    prices = {sku: DEMO_SKUS.get(sku, DEMO_SKUS[DEFAULT_SKU]) for sku in quantities}
    return sum(ensure_item(store, sku, quantities[sku], prices[sku]) for sku in quantities)
