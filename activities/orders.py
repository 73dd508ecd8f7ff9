"""Order activities: create (prices the order when no amount is given), cancel as compensation,
and confirm once the stock is committed."""

from __future__ import annotations

import azure.durable_functions as df

from activities.common import Result, run_step
from saga import orders as order_service

CREATE_ORDER = "create_order"
CANCEL_ORDER = "cancel_order"
CONFIRM_ORDER = "confirm_order"
bp = df.Blueprint()


@bp.activity_trigger(input_name="payload", activity=CREATE_ORDER)
def create_order(payload: dict) -> Result:
    result = run_step(
        CREATE_ORDER,
        payload,
        lambda store: order_service.create_order(
            store,
            payload["order_id"],
            payload["customer_id"],
            payload["items"],
            payload["amount_minor"],
        ),
    )
    if result["ok"]:
        result["facts"] = {"amount_minor": result["amount_minor"], "items": result["items"]}
    return result


@bp.activity_trigger(input_name="payload", activity=CANCEL_ORDER)
def cancel_order(payload: dict) -> Result:
    return run_step(
        CANCEL_ORDER,
        payload,
        lambda store: order_service.cancel_order(store, payload["order_id"], "saga compensated"),
    )


@bp.activity_trigger(input_name="payload", activity=CONFIRM_ORDER)
def confirm_order(payload: dict) -> Result:
    return run_step(
        CONFIRM_ORDER,
        payload,
        lambda store: order_service.confirm_order(store, payload["order_id"]),
    )
