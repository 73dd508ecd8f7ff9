"""Inventory activities: reserve stock for an order's items, release it as compensation, and
commit it (reserved → shipped) once the order has shipped."""

from __future__ import annotations

import azure.durable_functions as df

from activities.common import Result, run_step
from saga import inventory as inventory_service

RESERVE_INVENTORY = "reserve_inventory"
RELEASE_INVENTORY = "release_inventory"
COMMIT_INVENTORY = "commit_inventory"
bp = df.Blueprint()


@bp.activity_trigger(input_name="payload", activity=RESERVE_INVENTORY)
def reserve_inventory(payload: dict) -> Result:
    return run_step(
        RESERVE_INVENTORY,
        payload,
        lambda store: inventory_service.reserve_stock(store, payload["order_id"], payload["items"]),
    )


@bp.activity_trigger(input_name="payload", activity=RELEASE_INVENTORY)
def release_inventory(payload: dict) -> Result:
    return run_step(
        RELEASE_INVENTORY,
        payload,
        lambda store: inventory_service.release_stock(store, payload["order_id"], payload["items"]),
    )


@bp.activity_trigger(input_name="payload", activity=COMMIT_INVENTORY)
def commit_inventory(payload: dict) -> Result:
    return run_step(
        COMMIT_INVENTORY,
        payload,
        lambda store: inventory_service.commit_stock(store, payload["order_id"], payload["items"]),
    )
