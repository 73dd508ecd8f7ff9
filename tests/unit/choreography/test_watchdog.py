"""The watchdog: a saga stuck past its deadline is compensated; a finished or punctual saga is
left alone; a saga that completed while its timeout was on the way stays completed."""

from __future__ import annotations

from saga import inventory, orders
from saga.choreography import consumers, state
from saga.choreography.watchdog import overdue, time_out_overdue
from tests import documents
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import HUB, Bus

WITHOUT_SHIPPING = [c for c in consumers.ALL if c is not consumers.SHIPPING]


def pass_of_watchdog(bus: Bus) -> list[str]:
    return time_out_overdue(bus.store, bus.publisher, HUB, bus.clock())


def stuck_at_shipping(bus: Bus) -> None:
    """The shipping service never sees PaymentCompleted (a lost event, a dead consumer)."""
    bus.start()
    bus.deliver(consumer_list=WITHOUT_SHIPPING)


def test_a_stuck_saga_is_left_alone_until_its_deadline(bus: Bus) -> None:
    stuck_at_shipping(bus)
    bus.clock.advance(299)
    assert pass_of_watchdog(bus) == []


def test_a_stuck_saga_past_its_deadline_is_compensated(bus: Bus, store: InMemoryStore) -> None:
    stuck_at_shipping(bus)
    bus.clock.advance(301)
    assert pass_of_watchdog(bus) == ["o1"]
    bus.deliver()
    doc = state.read(store, "o1")
    assert doc is not None
    assert doc["status"] == "compensated"
    assert doc["reason"] == {
        "step": "ship_order",
        "code": "deadline_exceeded",
        "message": "not finished within 300 s",
    }
    assert inventory.get_item(store, "a")["available"] == 10
    assert documents.get_payment(store, "o1")["state"] == "refunded"
    # Tombstones: the late shipment and completion cannot land any more.
    assert documents.get_shipment(store, "o1")["state"] == "cancelled"
    assert orders.get_order(store, "o1")["state"] == "cancelled"
    assert pass_of_watchdog(bus) == []


def test_the_late_forward_event_meets_the_tombstone(bus: Bus, store: InMemoryStore) -> None:
    stuck_at_shipping(bus)
    lost = next(body for _, _, body in bus.publisher.sent if "PaymentCompleted" in body)
    bus.clock.advance(301)
    pass_of_watchdog(bus)
    bus.deliver()
    bus.publisher.sent.append((HUB, "o1", lost))  # the lost event finally arrives
    bus.deliver()
    assert documents.get_shipment(store, "o1")["state"] == "cancelled"
    assert inventory.get_item(store, "a")["shipped"] == 0
    assert state.read(store, "o1")["status"] == "compensated"


def test_every_pass_asks_again_while_the_saga_is_overdue(bus: Bus) -> None:
    stuck_at_shipping(bus)
    bus.clock.advance(301)
    assert pass_of_watchdog(bus) == ["o1"]
    assert pass_of_watchdog(bus) == ["o1"]
    bus.deliver()
    assert bus.publisher.types().count("SagaAborted") == 1


def test_finished_sagas_are_never_overdue(bus: Bus, store: InMemoryStore) -> None:
    bus.start()
    bus.deliver()
    bus.clock.advance(10_000)
    assert overdue(store, bus.clock()) == []


def test_a_timeout_racing_a_completion_leaves_the_order_completed(
    bus: Bus, store: InMemoryStore
) -> None:
    bus.start()
    # Every service is done, but the projector has not caught up when the watchdog looks.
    bus.deliver(consumer_list=[c for c in consumers.ALL if c is not consumers.PROJECTOR])
    bus.clock.advance(301)
    assert pass_of_watchdog(bus) == ["o1"]
    bus.delivered = 0
    bus.deliver()
    assert state.read(store, "o1")["status"] == "completed"
    assert orders.get_order(store, "o1")["state"] == "confirmed"
    assert inventory.get_item(store, "a")["shipped"] == 1
    assert "SagaAborted" not in bus.publisher.types()
