"""The parallel saga against a mocked durable context: fan-out of independent steps, waiting for
in-flight branches before compensating, and compensating exactly what may have taken effect."""

from __future__ import annotations

from typing import Any

from activities.order_sagas import PARALLEL
from orchestrators.runner import run_saga
from tests.unit.orchestrators.fake_context import HANG, T0, FakeContext, drive
from tests.unit.orchestrators.fake_context import policy as make_policy
from tests.unit.orchestrators.test_sequential_saga import failing, fakes, ok, refused

BATCH = {
    "order_id": "b-1",
    "customer_id": "c-1",
    "amount_minor": None,
    "items": [
        {"sku": "a", "quantity": 1},
        {"sku": "b", "quantity": 1},
        {"sku": "c", "quantity": 1},
    ],
}


def by_sku(result_for: dict[str, Any]) -> Any:
    return lambda input_: result_for[input_["items"][0]["sku"]](input_)


def priced(prices: dict[str, int | None]) -> Any:
    """A price lookup answering from ``prices``, with the fact the real one reports."""

    def price(input_: dict[str, Any]) -> dict[str, Any]:
        sku = input_["items"][0]["sku"]
        return {**ok("price_item")(input_), "facts": {"prices": {sku: prices[sku]}}}

    return price


PRICES = {"a": 100, "b": 250, "c": 499}


def run(table: dict[str, Any], order: dict[str, Any] = BATCH) -> tuple[dict[str, Any], FakeContext]:
    policy = make_policy(retry_first_interval_ms=100, retry_max_attempts=3, step_timeout_seconds=30)
    table = {"price_item": priced(PRICES), **table}
    context = FakeContext({"input": order, "policy": policy.to_dict()}, table)
    output = drive(run_saga(context, PARALLEL), context)
    return output, context


def test_items_fan_out_with_the_payment_and_fan_in_with_the_confirmation() -> None:
    output, context = run(fakes(create_order=ok("create_order", amount_minor=300)))
    names = [name for name, _ in context.calls]
    assert names == [
        "price_item",
        "price_item",
        "price_item",
        "create_order",
        "reserve_inventory",
        "reserve_inventory",
        "reserve_inventory",
        "charge_payment",
        "ship_order",
        "commit_inventory",
        "commit_inventory",
        "commit_inventory",
        "confirm_order",
    ]
    assert output["status"] == "completed"
    reserved = [
        inp["items"][0]["sku"] for name, inp in context.calls if name == "reserve_inventory"
    ]
    assert reserved == ["a", "b", "c"]
    committed = [inp["items"] for name, inp in context.calls if name == "commit_inventory"]
    assert [[item["sku"] for item in items] for items in committed] == [["a"], ["b"], ["c"]]


def test_one_branch_out_of_stock_compensates_exactly_the_branches_that_succeeded() -> None:
    reserve = by_sku({"a": ok("r"), "b": refused("out_of_stock"), "c": ok("r")})
    output, context = run(fakes(reserve_inventory=reserve))
    released = [inp["items"] for name, inp in context.calls if name == "release_inventory"]
    assert sorted(item["sku"] for items in released for item in items) == ["a", "c"]
    assert output["failed_step"] == "reserve_inventory:b"
    assert set(output["compensated_steps"]) == {
        "release_inventory:a",
        "release_inventory:c",
        "refund_payment",
        "cancel_order",
    }
    assert "ship_order" not in [name for name, _ in context.calls]


def test_compensation_waits_until_every_in_flight_branch_has_settled() -> None:
    reserve = by_sku({"a": refused("out_of_stock"), "b": lambda _i: HANG, "c": ok("r")})
    _, context = run(fakes(reserve_inventory=reserve))
    first_undo = next(i for i, (name, _) in enumerate(context.calls) if name == "release_inventory")
    # The hanging branch held the compensation back until its step timeout fired.
    assert (context.call_times[first_undo] - T0).total_seconds() >= 30
    released = sorted(
        inp["items"][0]["sku"] for name, inp in context.calls if name == "release_inventory"
    )
    assert released == ["b", "c"]  # b timed out: its outcome is unknown, so it is undone too


def test_a_faulted_branch_is_retried_alone_while_the_others_keep_their_results() -> None:
    reserve = by_sku({"a": ok("r"), "b": failing(1, ok("r")), "c": ok("r")})
    output, context = run(fakes(reserve_inventory=reserve))
    reserved = [
        inp["items"][0]["sku"] for name, inp in context.calls if name == "reserve_inventory"
    ]
    assert reserved == ["a", "b", "c", "b"]
    assert output["status"] == "completed"


def test_after_a_business_failure_faulted_branches_are_not_retried() -> None:
    reserve = by_sku({"a": refused("out_of_stock"), "b": failing(5, ok("r")), "c": ok("r")})
    output, context = run(fakes(reserve_inventory=reserve))
    reserved = [
        inp["items"][0]["sku"] for name, inp in context.calls if name == "reserve_inventory"
    ]
    assert reserved.count("b") == 1
    assert output["status"] == "compensated"


def test_compensations_of_a_fan_out_run_together() -> None:
    output, context = run(fakes(ship_order=refused("address_rejected")))
    undo_times = {
        context.call_times[i]
        for i, (name, _) in enumerate(context.calls)
        if name in ("release_inventory", "refund_payment", "cancel_order")
    }
    assert len(undo_times) == 1
    assert output["status"] == "compensated"


def test_each_sku_is_priced_in_its_own_step_and_the_order_gets_every_price() -> None:
    output, context = run(fakes())
    looked_up = [inp["items"][0]["sku"] for name, inp in context.calls if name == "price_item"]
    assert looked_up == ["a", "b", "c"]
    create = next(inp for name, inp in context.calls if name == "create_order")
    assert create["prices"] == PRICES
    assert output["status"] == "completed"
    assert {"price_item:a", "price_item:b", "price_item:c"} <= set(output["completed_steps"])


def test_with_an_amount_the_skus_are_still_looked_up_so_the_order_reads_nothing() -> None:
    _, context = run(fakes(), {**BATCH, "amount_minor": 999})
    create = next(inp for name, inp in context.calls if name == "create_order")
    assert (create["amount_minor"], create["prices"]) == (999, PRICES)


def test_an_unknown_sku_among_the_prices_fails_the_order_step_before_any_reservation() -> None:
    table = fakes(price_item=priced({**PRICES, "b": None}), create_order=refused("unknown_sku"))
    output, context = run(table)
    assert (output["failed_step"], output["compensated_steps"]) == ("create_order", [])
    assert "reserve_inventory" not in [name for name, _ in context.calls]
