"""The fault injector: the ``simulate`` block is stored once per saga and read where a step runs;
its fault budget is counted in the store, so a restarted host (a new injector) keeps the count."""

from __future__ import annotations

import pytest

from adapters.faults import FaultInjector, InjectedFault
from adapters.sqlite import SqliteStore
from composition import fault_services


def injector(store: SqliteStore) -> FaultInjector:
    services, compensations = fault_services()
    return FaultInjector(store, services, compensations)


def test_the_first_simulate_block_of_a_saga_wins() -> None:
    faults = injector(SqliteStore(":memory:"))
    faults.remember("o1", {"fail_at": "payment"})
    faults.remember("o1", {"fail_at": "shipping"})
    assert faults.simulate_of("o1") == {"fail_at": "payment"}
    assert faults.simulate_of("o2") is None


def test_the_fault_budget_survives_a_new_injector_on_the_same_store() -> None:
    store = SqliteStore(":memory:")
    injector(store).remember("o1", {"transient_faults": {"payment": 2}})
    with pytest.raises(InjectedFault):
        injector(store).run("charge_payment", "o1", lambda: {"ok": True})
    with pytest.raises(InjectedFault):
        injector(store).run("charge_payment", "o1", lambda: {"ok": True})
    assert injector(store).run("charge_payment", "o1", lambda: {"ok": True}) == {"ok": True}


def test_a_step_of_no_service_is_never_refused() -> None:
    faults = injector(SqliteStore(":memory:"))
    faults.remember("o1", {"delay_seconds": {"shipping": 0}})
    assert faults.run("report_compensation_failure", "o1", lambda: {"ok": True}) == {"ok": True}
    assert faults.refusal("ship_order", {"fail_at": "shipping"}) is not None
    assert faults.refusal("cancel_shipment", {"fail_at": "shipping"}) is None
