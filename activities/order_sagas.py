"""The order sagas, declared once: each business step (its forward activity, its compensation,
its service, the order fields it takes, and what each activity does with the saga/ services), and
the two orchestrated sagas built from them. Adding a step is one ``Step`` here, placed in a stage,
plus its service in saga/ (docs/EXTENDING.md)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from activities.alerts import REPORT_COMPENSATION_FAILURE
from composition import get_settings
from orchestrators.definition import SagaDefinition, Step
from saga import catalogue, inventory, orders, payments, shipping
from saga.ports import DocumentStore
from saga.results import Result

Payload = dict[str, Any]


def _price_item(store: DocumentStore, p: Payload) -> Result:
    (line,) = p["items"]
    result = catalogue.unit_price(store, line["sku"])
    if result["ok"]:  # the prices the branches of the stage report merge into one fact
        result["facts"] = {"prices": {line["sku"]: result["price_minor"]}}
    return result


def _create_order(store: DocumentStore, p: Payload) -> Result:
    # With the prices an earlier stage looked up, creating the order reads nothing.
    result = orders.create_order(
        store, p["order_id"], p["customer_id"], p["items"], p["amount_minor"], p.get("prices")
    )
    if result["ok"]:  # later steps charge the priced amount
        result["facts"] = {"amount_minor": result["amount_minor"], "items": result["items"]}
    return result


def _charge_payment(store: DocumentStore, p: Payload) -> Result:
    limit = get_settings().saga_payment_limit_minor
    return payments.charge_payment(store, p["order_id"], p["customer_id"], p["amount_minor"], limit)


# A catalogue lookup (one read of the SKU's stock document): nothing to undo, and no service, so
# no simulated failure targets it.
PRICE_ITEM = Step("price_item", _price_item, fields=("items",))
CREATE_ORDER = Step(
    "create_order",
    _create_order,
    compensation="cancel_order",
    undo=lambda store, p: orders.cancel_order(store, p["order_id"], "saga compensated"),
    service="order",
    fields=("customer_id", "items", "amount_minor"),
)
# The release takes the reserved quantities too, so it moves the counters in one batch per SKU.
RESERVE_INVENTORY = Step(
    "reserve_inventory",
    lambda store, p: inventory.reserve_inventory(store, p["order_id"], p["items"]),
    compensation="release_inventory",
    undo=lambda store, p: inventory.release_inventory(store, p["order_id"], p["items"]),
    service="inventory",
    fields=("items",),
)
CHARGE_PAYMENT = Step(
    "charge_payment",
    _charge_payment,
    compensation="refund_payment",
    undo=lambda store, p: payments.refund_payment(store, p["order_id"]),
    service="payment",
    fields=("customer_id", "amount_minor"),
)
SHIP_ORDER = Step(
    "ship_order",
    lambda store, p: shipping.ship_order(store, p["order_id"], p["items"]),
    compensation="cancel_shipment",
    undo=lambda store, p: shipping.cancel_shipment(store, p["order_id"]),
    service="shipping",
    fields=("items",),
)
# Committing the stock and confirming the order have no undo of their own: releasing a committed
# reservation restocks it, and cancelling a confirmed order cancels it.
COMMIT_INVENTORY = Step(
    "commit_inventory",
    lambda store, p: inventory.commit_inventory(store, p["order_id"], p["items"]),
    service="inventory",
    fields=("items",),
)
CONFIRM_ORDER = Step(
    "confirm_order",
    lambda store, p: orders.confirm_order(store, p["order_id"]),
    service="order",
)


def per_sku(step: Step) -> Step:
    """``step`` once per order line (one SKU each), in parallel."""
    return replace(step, for_each="items", label="sku")


SEQUENTIAL = SagaDefinition(
    name="sequential_saga",
    business_key="order_id",
    stages=(
        (CREATE_ORDER,),
        (RESERVE_INVENTORY,),
        (CHARGE_PAYMENT,),
        (SHIP_ORDER,),
        (COMMIT_INVENTORY,),
        (CONFIRM_ORDER,),
    ),
    alert=REPORT_COMPENSATION_FAILURE,
)
# Every SKU is looked up at once (its price, or with an amount given its existence), so creating
# the order is one write however many items (≤ 2 round trips per step); after the order exists,
# every SKU is reserved and the payment charged at once (fan-out/fan-in); once shipped, every
# SKU's stock is committed with the confirmation.
PARALLEL = SagaDefinition(
    name="parallel_saga",
    business_key="order_id",
    stages=(
        (per_sku(PRICE_ITEM),),
        (replace(CREATE_ORDER, fields=(*CREATE_ORDER.fields, "prices")),),
        (per_sku(RESERVE_INVENTORY), CHARGE_PAYMENT),
        (SHIP_ORDER,),
        (per_sku(COMMIT_INVENTORY), CONFIRM_ORDER),
    ),
    compensate_in_parallel=True,
    alert=REPORT_COMPENSATION_FAILURE,
)
SAGAS = (SEQUENTIAL, PARALLEL)
