"""The saga read model: projected idempotently from the events, never regressing, and shown in
the orchestrated sagas' status shape."""

from __future__ import annotations

from datetime import UTC, datetime

from saga.choreography import state
from saga.containers import SAGAS
from saga.events import Envelope, EventType, first_event, follow
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import order_of
from triggers.status import STATUS_FIELDS
from triggers.status import choreography_status as public_status

NOW = datetime(2026, 1, 1, tzinfo=UTC)
E = EventType


def started(store: InMemoryStore) -> Envelope:
    store.create(SAGAS, "o1", state.new_saga(order_of("o1"), "fp", NOW, 300))
    return first_event(E.ORDER_CREATED, order_of("o1"), NOW)


def project_all(store: InMemoryStore, *events: Envelope) -> dict:
    for event in events:
        state.project(store, event, NOW)
    doc = state.read(store, "o1")
    assert doc is not None
    return doc


def test_a_new_saga_is_running_and_waits_for_inventory() -> None:
    store = InMemoryStore()
    started(store)
    status = public_status(state.read(store, "o1"))
    assert set(status) == STATUS_FIELDS
    assert (status["runtime_status"], status["saga_status"]) == ("Running", "running")
    assert status["current_step"] == "reserve_inventory"
    assert status["output"] is None


def test_projecting_the_same_event_twice_writes_once() -> None:
    store = InMemoryStore()
    created = started(store)
    reserved = follow(created, E.INVENTORY_RESERVED, NOW)
    project_all(store, created, reserved)
    writes = store.calls["replace"]
    doc = project_all(store, reserved, created)
    assert store.calls["replace"] == writes
    assert doc["completed_steps"] == ["create_order", "reserve_inventory"]
    assert doc["current_step"] == "charge_payment"


def test_the_deadline_is_set_once_by_the_first_event() -> None:
    store = InMemoryStore()
    created = started(store)
    assert project_all(store)["deadline"] is None
    state.project(store, created, NOW)
    state.project(store, created, NOW.replace(hour=5))
    assert project_all(store)["deadline"] == "2026-01-01T00:05:00+00:00"


def test_a_late_forward_event_does_not_move_a_compensating_saga_forward() -> None:
    store = InMemoryStore()
    created = started(store)
    reason = {"step": "charge_payment", "code": "payment_declined", "message": "no"}
    failed = follow(created, E.PAYMENT_FAILED, NOW, reason)
    doc = project_all(store, failed, follow(created, E.INVENTORY_RESERVED, NOW))
    assert doc["current_step"] == "release_inventory"
    assert doc["reason"] == reason


def test_a_completed_saga_ignores_a_timeout_that_raced_it() -> None:
    store = InMemoryStore()
    created = started(store)
    timed_out = first_event(
        E.SAGA_TIMED_OUT, order_of("o1"), NOW, {"step": "ship_order", "code": "deadline_exceeded"}
    )
    doc = project_all(store, timed_out, follow(created, E.ORDER_COMPLETED, NOW), timed_out)
    assert (doc["status"], doc["reason"]) == ("completed", None)


def test_the_first_failure_is_the_reason_and_later_ones_do_not_replace_it() -> None:
    store = InMemoryStore()
    created = started(store)
    declined = follow(created, E.PAYMENT_FAILED, NOW, {"step": "charge_payment", "code": "x"})
    aborted = follow(created, E.SAGA_ABORTED, NOW, {"step": "abort_saga", "code": "y"})
    doc = project_all(store, declined, aborted)
    assert doc["reason"]["code"] == "x"


def test_the_cancelled_order_ends_a_compensation_and_the_output_has_no_facts() -> None:
    store = InMemoryStore()
    created = started(store)
    doc = project_all(
        store,
        follow(
            created,
            E.INVENTORY_RESERVATION_FAILED,
            NOW,
            {"step": "reserve_inventory", "code": "out_of_stock"},
        ),
        follow(created, E.ORDER_CANCELLED, NOW),
    )
    status = public_status(doc)
    assert (status["runtime_status"], status["saga_status"]) == ("Completed", "compensated")
    assert status["current_step"] is None
    assert status["output"]["failed_step"] == "reserve_inventory"
    assert status["output"]["facts"] == {}


def test_a_compensation_failure_stays_visible_after_the_order_is_cancelled() -> None:
    store = InMemoryStore()
    created = started(store)
    failed = follow(created, E.COMPENSATION_FAILED, NOW, {"step": "refund_payment", "code": "f"})
    doc = project_all(store, failed, failed, follow(created, E.ORDER_CANCELLED, NOW))
    assert doc["status"] == "compensation_failed"
    assert doc["failed_compensations"] == [{"step": "refund_payment", "code": "f", "message": None}]
    assert "cancel_order" in doc["compensated_steps"]


def test_events_of_an_unknown_saga_are_ignored() -> None:
    store = InMemoryStore()
    state.project(store, first_event(E.ORDER_CREATED, order_of("ghost"), NOW), NOW)
    assert state.read(store, "ghost") is None
