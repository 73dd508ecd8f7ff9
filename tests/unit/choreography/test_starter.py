"""Starting a choreography saga: idempotent on the order id, conflicts refused, an order that
cannot be created ends the saga at once."""

from __future__ import annotations

from saga import orders
from saga.choreography import state
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import Bus, order_of


def test_starting_twice_with_the_same_request_starts_once(bus: Bus) -> None:
    assert bus.start() == "started"
    assert bus.start() == "exists"
    # While it runs, a retry re-publishes the first event (same id: consumers drop the copy).
    assert bus.publisher.types() == ["OrderCreated", "OrderCreated"]
    bus.deliver()
    assert bus.publisher.types().count("InventoryReserved") == 1


def test_a_retry_after_the_saga_finished_publishes_nothing(bus: Bus) -> None:
    bus.start()
    bus.deliver()
    sent = len(bus.publisher.sent)
    assert bus.start() == "exists"
    assert len(bus.publisher.sent) == sent


def test_the_same_order_id_with_another_payload_is_a_conflict(bus: Bus) -> None:
    bus.start(amount_minor=1_000)
    assert bus.start(amount_minor=2_000) == "conflict"


def test_an_order_id_taken_by_another_saga_is_a_conflict(bus: Bus, store: InMemoryStore) -> None:
    orders.create_order(store, "o1", "someone", [{"sku": "b", "quantity": 1}], 250)
    assert bus.start() == "conflict"
    assert state.read(store, "o1") is None


def test_an_unknown_sku_ends_the_saga_at_once_with_nothing_to_undo(
    bus: Bus, store: InMemoryStore
) -> None:
    assert bus.start(items=[{"sku": "nope", "quantity": 1}]) == "started"
    doc = state.read(store, "o1")
    assert doc is not None
    assert (doc["status"], doc["reason"]["code"]) == ("compensated", "unknown_sku")
    assert bus.publisher.sent == []


def test_the_deadline_runs_from_when_the_event_log_took_the_first_event(
    bus: Bus, store: InMemoryStore
) -> None:
    bus.start()
    assert state.read(store, "o1")["deadline"] is None
    bus.clock.advance(10)
    bus.deliver()
    doc = state.read(store, "o1")
    assert doc is not None
    assert doc["deadline"] == "2026-01-01T00:05:10+00:00"
    assert doc["order"] == order_of("o1")
