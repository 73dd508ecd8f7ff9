"""Shipping activities: create the shipment, cancel it as compensation."""

from __future__ import annotations

import azure.durable_functions as df

from activities.common import Result, run_step
from saga import shipping as shipping_service

SHIP_ORDER = "ship_order"
CANCEL_SHIPMENT = "cancel_shipment"
bp = df.Blueprint()


@bp.activity_trigger(input_name="payload", activity=SHIP_ORDER)
def ship_order(payload: dict) -> Result:
    return run_step(
        SHIP_ORDER,
        payload,
        lambda store: shipping_service.create_shipment(
            store, payload["order_id"], payload["items"]
        ),
    )


@bp.activity_trigger(input_name="payload", activity=CANCEL_SHIPMENT)
def cancel_shipment(payload: dict) -> Result:
    return run_step(
        CANCEL_SHIPMENT,
        payload,
        lambda store: shipping_service.cancel_shipment(store, payload["order_id"]),
    )
