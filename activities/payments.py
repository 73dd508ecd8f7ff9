"""Payment activities: charge the order amount (declined above the configured limit), refund it."""

from __future__ import annotations

import azure.durable_functions as df

from activities.common import Result, run_step
from composition import get_settings
from saga import payments as payment_service

CHARGE_PAYMENT = "charge_payment"
REFUND_PAYMENT = "refund_payment"
bp = df.Blueprint()


@bp.activity_trigger(input_name="payload", activity=CHARGE_PAYMENT)
def charge_payment(payload: dict) -> Result:
    limit = get_settings().saga_payment_limit_minor
    return run_step(
        CHARGE_PAYMENT,
        payload,
        lambda store: payment_service.charge_payment(
            store, payload["order_id"], payload["customer_id"], payload["amount_minor"], limit
        ),
    )


@bp.activity_trigger(input_name="payload", activity=REFUND_PAYMENT)
def refund_payment(payload: dict) -> Result:
    return run_step(
        REFUND_PAYMENT,
        payload,
        lambda store: payment_service.refund_payment(store, payload["order_id"]),
    )
