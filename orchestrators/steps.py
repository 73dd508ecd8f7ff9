"""The saga's steps as branches: which activity runs, with what input, and what undoes it.

Inputs are built only from the orchestration input and earlier results (``facts``), so they are
identical on every replay; the order id makes every activity idempotent.
"""

from __future__ import annotations

from typing import Any

from activities import inventory, orders, payments, shipping
from orchestrators.branches import Branch

Order = dict[str, Any]


def create_order(order: Order) -> Branch:
    keys = ("order_id", "customer_id", "items", "amount_minor")
    return Branch(
        "create_order",
        orders.CREATE_ORDER,
        {k: order[k] for k in keys},
        Branch("cancel_order", orders.CANCEL_ORDER, {"order_id": order["order_id"]}),
    )


def reserve_inventory(order: Order, items: list[dict[str, Any]], step: str) -> Branch:
    skus = [item["sku"] for item in items]
    return Branch(
        step,
        inventory.RESERVE_INVENTORY,
        {"order_id": order["order_id"], "items": items},
        Branch(
            step.replace("reserve", "release"),
            inventory.RELEASE_INVENTORY,
            {"order_id": order["order_id"], "skus": skus},
        ),
    )


def charge_payment(order: Order) -> Branch:
    keys = ("order_id", "customer_id", "amount_minor")
    return Branch(
        "charge_payment",
        payments.CHARGE_PAYMENT,
        {k: order[k] for k in keys},
        Branch("refund_payment", payments.REFUND_PAYMENT, {"order_id": order["order_id"]}),
    )


def ship_order(order: Order) -> Branch:
    return Branch(
        "ship_order",
        shipping.SHIP_ORDER,
        {"order_id": order["order_id"], "items": order["items"]},
        Branch("cancel_shipment", shipping.CANCEL_SHIPMENT, {"order_id": order["order_id"]}),
    )


def complete_order(order: Order) -> Branch:
    # Confirming the order and committing the stock undo through the compensations of the
    # steps before it (cancel order, release inventory), so it needs none of its own.
    skus = sorted({item["sku"] for item in order["items"]})
    return Branch(
        "complete_order", orders.COMPLETE_ORDER, {"order_id": order["order_id"], "skus": skus}
    )
