"""Activity shims over a seeded in-memory SQLite store: results are JSON dicts, technical faults
become retryable results, and failure injection works only when the setting turns it on."""

from __future__ import annotations

from typing import Any

import pytest

import composition
from activities import alerts
from activities.order_sagas import SAGAS
from activities.steps import activities_of, activity
from adapters.sqlite import SqliteStore
from config import Settings
from saga.containers import DEADLETTERS
from saga.inventory import get_reservation
from saga.seed import seed_demo_data
from tests.fakes import InMemoryStore

ORDER = {
    "order_id": "o-1",
    "customer_id": "c",
    "items": [{"sku": "a", "quantity": 2}],
    "amount_minor": 500,
}


def simulate(order_id: str, block: dict[str, Any]) -> None:
    """What the starter does with a request's ``simulate`` block."""
    faults = composition.get_faults()
    assert faults is not None
    faults.remember(order_id, block)


def plain(function: Any) -> Any:
    """The user function behind a blueprint decorator."""
    return function.build().get_user_function()


def shim(name: str) -> Any:
    """The activity function registered for ``name`` (from the saga definitions)."""
    key_field, handler = activities_of(SAGAS)[name]
    return activity(name, key_field, handler)


def test_create_order_reports_the_priced_amount_as_a_fact(store: SqliteStore) -> None:
    result = shim("create_order")({**ORDER, "amount_minor": None})
    assert result["ok"] is True
    assert result["facts"]["amount_minor"] == result["amount_minor"] > 0


def test_a_store_fault_becomes_a_retryable_result_not_an_exception() -> None:
    flaky = InMemoryStore()
    seed_demo_data(flaky)
    composition.override(store=flaky, settings=Settings())
    flaky.fail_next("batch", times=1)
    try:
        result = shim("reserve_inventory")({"order_id": "o-2", "items": ORDER["items"]})
    finally:
        composition.reset()
    assert (result["ok"], result["code"], result["retryable"]) == (False, "technical_fault", True)


@pytest.mark.parametrize(
    "block", [{"duplicate": True}, {"fail_at": "order"}, {"transient_faults": {"order": 3}}]
)
def test_the_price_lookup_ignores_every_simulated_failure(
    store: SqliteStore, block: dict[str, Any]
) -> None:
    simulate("o-7", block)
    result = shim("price_item")({"order_id": "o-7", "items": [{"sku": "a", "quantity": 1}]})
    assert (result["ok"], result["facts"]) == (True, {"prices": {"a": 1_000}})


def test_simulated_failure_refuses_the_step_without_touching_the_store(store: SqliteStore) -> None:
    simulate("o-3", {"fail_at": "inventory"})
    payload = {"order_id": "o-3", "items": ORDER["items"]}
    result = shim("reserve_inventory")(payload)
    assert (result["ok"], result["code"]) == (False, "simulated_failure")
    assert get_reservation(store, "a", "o-3") is None


def test_simulated_transient_faults_fail_the_first_attempts_then_succeed(
    store: SqliteStore,
) -> None:
    simulate("o-4", {"transient_faults": {"payment": 2}})
    payload = {**ORDER, "order_id": "o-4"}
    charge = shim("charge_payment")
    outcomes = [charge(payload)["code"] for _ in range(3)]
    assert outcomes == ["technical_fault", "technical_fault", None]


def test_simulated_compensation_faults_only_hit_the_compensation(store: SqliteStore) -> None:
    simulate("o-5", {"fail_compensation": {"payment": 1}})
    assert shim("charge_payment")({**ORDER, "order_id": "o-5"})["ok"]
    refund = shim("refund_payment")
    assert refund({"order_id": "o-5"})["code"] == "technical_fault"
    assert refund({"order_id": "o-5"})["ok"] is True


def test_the_simulate_block_is_ignored_when_fault_injection_is_off(store: SqliteStore) -> None:
    simulate("o-6", {"fail_at": "inventory"})
    composition.override(settings=Settings(saga_fault_injection=False))
    payload = {"order_id": "o-6", "items": ORDER["items"]}
    assert shim("reserve_inventory")(payload)["ok"] is True


def test_a_compensation_failure_leaves_one_dead_letter_per_saga(store: SqliteStore) -> None:
    payload = {
        "order_id": "o-7",
        "saga_id": "sequential-o-7",
        "failed_compensations": [{"step": "refund_payment", "code": "technical_fault"}],
    }
    report = plain(alerts.report_compensation_failure)
    assert report(payload)["ok"] and report(payload)["ok"]
    letters = store.query(DEADLETTERS, {"order_id": "o-7"})
    assert [letter["failed_compensations"] for letter in letters] == [
        payload["failed_compensations"]
    ]
