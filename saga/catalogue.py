"""The catalogue: a SKU's unit price, read from its stock document (one point read per SKU)."""

from __future__ import annotations

from collections.abc import Iterable

from saga.containers import INVENTORY
from saga.ports import DocumentStore
from saga.results import Result, success

Prices = dict[str, int | None]  # SKU -> unit price in minor units; None: not in the catalogue


def unit_price(store: DocumentStore, sku: str) -> Result:
    """The price of one SKU (``price_minor`` None when the catalogue lacks it): the parallel
    saga prices each SKU in its own step, so no step's round trips grow with the items."""
    return success(sku=sku, price_minor=unit_prices(store, [sku])[sku])


def unit_prices(store: DocumentStore, skus: Iterable[str]) -> Prices:
    """The price of each SKU, one read each."""
    prices: Prices = {}
    for sku in skus:
        item = store.read(INVENTORY, sku, sku)
        prices[sku] = None if item is None else item["price_minor"]
    return prices
