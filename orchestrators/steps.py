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
    undo = Branch("cancel_order", orders.CANCEL_ORDER, _input(order))
    fields = _input(order, "customer_id", "items", "amount_minor")
    return Branch("create_order", orders.CREATE_ORDER, fields, undo)


def reserve_inventory(order: Order, items: list[dict[str, Any]], step: str) -> Branch:
    # The release carries the quantities too, so it moves the counters in one batch per SKU.
    fields = {**_input(order), "items": items}
    undo = Branch(step.replace("reserve", "release"), inventory.RELEASE_INVENTORY, fields)
    return Branch(step, inventory.RESERVE_INVENTORY, fields, undo)


def charge_payment(order: Order) -> Branch:
    undo = Branch("refund_payment", payments.REFUND_PAYMENT, _input(order))
    fields = _input(order, "customer_id", "amount_minor")
    return Branch("charge_payment", payments.CHARGE_PAYMENT, fields, undo)


def ship_order(order: Order) -> Branch:
    undo = Branch("cancel_shipment", shipping.CANCEL_SHIPMENT, _input(order))
    return Branch("ship_order", shipping.SHIP_ORDER, _input(order, "items"), undo)


# Committing the stock and confirming the order have no undo of their own: releasing a committed
# reservation restocks it, and cancelling a confirmed order cancels it.


def commit_inventory(order: Order, items: list[dict[str, Any]], step: str) -> Branch:
    return Branch(step, inventory.COMMIT_INVENTORY, {**_input(order), "items": items})


def confirm_order(order: Order) -> Branch:
    return Branch("confirm_order", orders.CONFIRM_ORDER, _input(order))


def _input(order: Order, *keys: str) -> dict[str, Any]:
    """The order id and the requested fields."""
    return {key: order[key] for key in ("order_id", *keys)}
