"""Compensations in the choreography retry as often as SAGA_COMPENSATION_MAX_ATTEMPTS says (as
in the orchestrated sagas); forward steps keep SAGA_RETRY_MAX_ATTEMPTS."""

from __future__ import annotations

from dataclasses import replace

import composition
from config import Settings
from saga.choreography import state
from saga.choreography.pipeline import Retry
from saga.containers import DEADLETTERS
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import Bus, RecordingPublisher
from tests.unit.choreography.test_faults import faulty


def bus_with_budgets(store: InMemoryStore, step: str, faults: int) -> Bus:
    _, gate = faulty(step, times=faults)
    bus = Bus(store, gate=gate, attempts=3)
    bus.pipeline = replace(bus.pipeline, compensation_retry=Retry(6, 0.01, 2.0))
    return bus


def saga_status(store: InMemoryStore) -> str:
    doc = state.read(store, "o1")
    assert doc is not None
    return str(doc["status"])


def test_a_compensation_failing_five_times_is_done_within_its_own_budget(
    store: InMemoryStore,
) -> None:
    bus = bus_with_budgets(store, "release_inventory", faults=5)
    bus.start(amount_minor=10**9)  # declined: the reservation is released
    bus.deliver()
    assert saga_status(store) == "compensated"
    assert store.query(DEADLETTERS, {}) == []
    assert len(bus.sleeps) == 5


def test_a_forward_step_keeps_the_forward_budget(store: InMemoryStore) -> None:
    bus = bus_with_budgets(store, "charge_payment", faults=5)
    bus.start()
    bus.deliver()
    assert saga_status(store) == "compensated"  # aborted after 3 attempts, not 6
    assert len(store.query(DEADLETTERS, {"consumer": "payment"})) == 1


def test_the_handlers_take_the_compensation_budget_from_the_settings() -> None:
    settings = Settings(saga_retry_max_attempts=2, saga_compensation_max_attempts=7)
    composition.override(store=InMemoryStore(), settings=settings, publisher=RecordingPublisher())
    try:
        pipeline = composition.get_pipeline()
    finally:
        composition.reset()
    assert pipeline.retry.attempts == 2
    assert pipeline.compensation_retry.attempts == 7
