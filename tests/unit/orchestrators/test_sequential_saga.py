"""The sequential saga against a mocked durable context: order of steps, compensation in
reverse, retries with backoff for technical faults only, timeouts and failed compensations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from activities.order_sagas import SEQUENTIAL
from orchestrators.policy import Policy
from orchestrators.runner import run_saga
from tests.unit.orchestrators.fake_context import HANG, T0, FakeContext, drive
from tests.unit.orchestrators.fake_context import policy as make_policy

ORDER = {
    "order_id": "o-1",
    "customer_id": "c-1",
    "amount_minor": 500,
    "items": [{"sku": "a", "quantity": 2}],
}
FORWARD = [
    "create_order",
    "reserve_inventory",
    "charge_payment",
    "ship_order",
    "commit_inventory",
    "confirm_order",
]


def ok(step: str, **facts: Any) -> Any:
    return lambda _input: {"ok": True, "step": step, **({"facts": facts} if facts else {})}


def refused(code: str) -> Any:
    return lambda _input: {"ok": False, "code": code, "message": code}


def failing(times: int, then: Any) -> Any:
    calls = {"n": 0}

    def fake(input_: Any) -> Any:
        calls["n"] += 1
        if calls["n"] <= times:
            raise RuntimeError("store unavailable")
        return then(input_)

    return fake


def fakes(**overrides: Any) -> dict[str, Any]:
    names = [
        *FORWARD,
        "cancel_order",
        "release_inventory",
        "refund_payment",
        "cancel_shipment",
        "report_compensation_failure",
    ]
    table = {name: ok(name) for name in names}
    table.update(overrides)
    return table


def run(table: dict[str, Any], policy: Policy | None = None) -> tuple[dict[str, Any], FakeContext]:
    policy = policy or make_policy(retry_first_interval_ms=1000, retry_max_attempts=3)
    context = FakeContext({"input": ORDER, "policy": policy.to_dict()}, table)
    output = drive(run_saga(context, SEQUENTIAL), context)
    return output, context


def called(context: FakeContext) -> list[str]:
    return [name for name, _ in context.calls]


def test_happy_path_runs_every_step_once_in_order() -> None:
    output, context = run(fakes())
    assert called(context) == FORWARD
    assert output["status"] == "completed"
    assert output["completed_steps"] == FORWARD
    assert output["compensated_steps"] == []


def test_payment_declined_releases_reserved_stock_then_cancels_the_order() -> None:
    output, context = run(fakes(charge_payment=refused("payment_declined")))
    assert called(context) == [*FORWARD[:3], "release_inventory", "cancel_order"]
    assert output["status"] == "compensated"
    assert output["failed_step"] == "charge_payment"
    assert output["reason"]["code"] == "payment_declined"
    assert output["compensated_steps"] == ["release_inventory", "cancel_order"]


def test_business_failures_are_never_retried() -> None:
    _, context = run(fakes(reserve_inventory=refused("out_of_stock")))
    assert called(context).count("reserve_inventory") == 1


def test_technical_faults_are_retried_with_exponential_backoff() -> None:
    output, context = run(fakes(charge_payment=failing(2, ok("charge_payment"))))
    assert called(context).count("charge_payment") == 3
    assert output["status"] == "completed"
    assert context.current_utc_datetime >= T0 + timedelta(seconds=1 + 2)


def test_a_step_failing_after_all_retries_is_compensated_including_itself() -> None:
    output, context = run(fakes(ship_order=failing(99, ok("ship_order"))))
    assert called(context).count("ship_order") == 3
    assert output["failed_step"] == "ship_order"
    assert output["reason"]["code"] == "technical_fault"
    # A faulted step may have written before failing, so its undo runs too.
    assert output["compensated_steps"] == [
        "cancel_shipment",
        "refund_payment",
        "release_inventory",
        "cancel_order",
    ]


def test_a_timed_out_step_counts_as_failed_and_is_compensated() -> None:
    output, context = run(fakes(ship_order=lambda _input: HANG))
    assert output["status"] == "compensated"
    assert output["reason"]["code"] == "timeout"
    assert called(context).count("ship_order") == 1
    assert "cancel_shipment" in output["compensated_steps"]


def test_compensation_failing_a_few_times_is_retried_until_it_succeeds() -> None:
    table = fakes(
        ship_order=refused("address_rejected"), refund_payment=failing(3, ok("refund_payment"))
    )
    output, context = run(
        table, make_policy(retry_first_interval_ms=10, compensation_max_attempts=6)
    )
    assert called(context).count("refund_payment") == 4
    assert output["status"] == "compensated"


def test_a_compensation_that_keeps_failing_ends_compensation_failed_with_details() -> None:
    table = fakes(
        ship_order=refused("address_rejected"), refund_payment=failing(99, ok("refund_payment"))
    )
    output, context = run(
        table, make_policy(retry_first_interval_ms=10, compensation_max_attempts=4)
    )
    assert called(context).count("refund_payment") == 4
    assert output["status"] == "compensation_failed"
    assert output["failed_compensations"][0]["step"] == "refund_payment"
    # The other compensations still ran, and an operator was alerted.
    assert output["compensated_steps"] == ["release_inventory", "cancel_order"]
    alert = context.calls[-1]
    assert alert[0] == "report_compensation_failure"
    assert alert[1]["failed_compensations"][0]["step"] == "refund_payment"


def test_retries_stop_at_the_saga_deadline() -> None:
    policy = make_policy(retry_first_interval_ms=60_000, retry_max_attempts=10, deadline_seconds=90)
    output, context = run(fakes(create_order=failing(99, ok("create_order"))), policy)
    assert called(context).count("create_order") == 2
    assert output["status"] == "compensated"


def test_later_steps_use_the_amount_priced_by_create_order() -> None:
    table = fakes(create_order=ok("create_order", amount_minor=1234))
    _, context = run(table)
    charge_input = next(inp for name, inp in context.calls if name == "charge_payment")
    assert charge_input["amount_minor"] == 1234


def test_custom_status_names_the_current_step() -> None:
    _, context = run(fakes())
    steps = [status["current_step"] for status in context.statuses]
    assert steps[: len(FORWARD)] == FORWARD
    assert context.statuses[-1]["saga_status"] == "completed"
