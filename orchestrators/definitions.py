"""The order sagas' steps by service, as the ``simulate`` block names them (to be derived from
the saga definitions)."""

from __future__ import annotations

SERVICES = {
    "create_order": "order",
    "cancel_order": "order",
    "confirm_order": "order",
    "complete_order": "order",  # the choreography's completion step
    "reserve_inventory": "inventory",
    "release_inventory": "inventory",
    "commit_inventory": "inventory",
    "charge_payment": "payment",
    "refund_payment": "payment",
    "ship_order": "shipping",
    "cancel_shipment": "shipping",
}
COMPENSATIONS = {"cancel_order", "release_inventory", "refund_payment", "cancel_shipment"}


def fault_services() -> tuple[dict[str, str], set[str]]:
    return dict(SERVICES), set(COMPENSATIONS)
