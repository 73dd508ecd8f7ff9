"""The choreography end to end on one in-process partition: the happy path, each business failure
flowing backwards as compensating events, and at-least-once delivery changing nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from saga import inventory, orders
from saga.choreography import state
from saga.ports import DocumentStore
from tests import documents
from tests.unit.choreography.harness import LIMIT_MINOR, Bus
from triggers.status import choreography_status as public_status


def saga_of(store: DocumentStore, order_id: str = "o1") -> dict[str, Any]:
    doc = state.read(store, order_id)
    assert doc is not None
    return public_status(doc)


def stock(store: DocumentStore, sku: str = "a") -> tuple[int, int, int]:
    item = inventory.get_item(store, sku)
    assert item is not None
    return item["available"], item["reserved"], item["shipped"]


def test_a_saga_completes_through_every_service_in_order(bus: Bus, store: DocumentStore) -> None:
    assert bus.start() == "started"
    bus.deliver()
    assert bus.publisher.types() == [
        "OrderCreated",
        "InventoryReserved",
        "PaymentCompleted",
        "OrderShipped",
        "OrderCompleted",
    ]
    status = saga_of(store)
    assert status["saga_status"] == "completed"
    assert status["runtime_status"] == "Completed"
    assert status["completed_steps"] == [
        "create_order",
        "reserve_inventory",
        "charge_payment",
        "ship_order",
        "complete_order",
    ]
    assert status["output"]["facts"] == {
        "amount_minor": 1_000,
        "items": [{"sku": "a", "quantity": 1}],
    }
    assert stock(store) == (9, 0, 1)
    assert orders.get_order(store, "o1")["state"] == "confirmed"


def test_every_event_is_published_with_the_order_id_as_partition_key(bus: Bus) -> None:
    bus.start()
    bus.deliver()
    assert {(hub, key) for hub, key, _ in bus.publisher.sent} == {("saga-events", "o1")}


def test_out_of_stock_cancels_the_order_and_holds_no_stock(bus: Bus, store: DocumentStore) -> None:
    bus.start(items=[{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": 99}])
    bus.deliver()
    assert bus.publisher.types() == ["OrderCreated", "InventoryReservationFailed", "OrderCancelled"]
    status = saga_of(store)
    assert status["saga_status"] == "compensated"
    assert status["error"]["code"] == "out_of_stock"
    assert status["compensated_steps"] == ["cancel_order"]
    assert stock(store, "a") == (10, 0, 0) and stock(store, "b") == (5, 0, 0)


def test_payment_declined_releases_reserved_stock_then_cancels(
    bus: Bus, store: DocumentStore
) -> None:
    bus.start(amount_minor=LIMIT_MINOR + 1)
    bus.deliver()
    assert bus.publisher.types()[2:] == ["PaymentFailed", "InventoryReleased", "OrderCancelled"]
    status = saga_of(store)
    assert (status["saga_status"], status["error"]["code"]) == ("compensated", "payment_declined")
    assert status["compensated_steps"] == ["release_inventory", "cancel_order"]
    assert stock(store) == (10, 0, 0)
    assert orders.get_order(store, "o1")["state"] == "cancelled"


def test_shipping_refused_refunds_releases_and_cancels(store: DocumentStore) -> None:
    refuse_shipping = {"ship_order": {"ok": False, "code": "no_carrier", "message": "none"}}
    bus = Bus(store, gate=lambda step, order: refuse_shipping.get(step))
    bus.start()
    bus.deliver()
    assert bus.publisher.types()[3:] == [
        "ShippingFailed",
        "PaymentRefunded",
        "InventoryReleased",
        "OrderCancelled",
    ]
    assert saga_of(store)["compensated_steps"] == [
        "refund_payment",
        "release_inventory",
        "cancel_order",
    ]
    assert documents.get_payment(store, "o1")["state"] == "refunded"
    assert documents.get_shipment(store, "o1") is None
    assert stock(store) == (10, 0, 0)


def test_every_event_delivered_twice_gives_the_same_final_state(store: DocumentStore) -> None:
    once = Bus(store)
    once.start("o1", amount_minor=LIMIT_MINOR + 1)
    once.deliver()
    twice = Bus(store)
    twice.start("o2", amount_minor=LIMIT_MINOR + 1)
    twice.deliver(times=2)
    first, second = saga_of(store, "o1"), saga_of(store, "o2")
    for key in ("saga_status", "completed_steps", "compensated_steps", "error"):
        assert first[key] == second[key]
    assert twice.publisher.types() == once.publisher.types()
    assert stock(store) == (10, 0, 0)


def test_duplicates_of_the_happy_path_charge_and_ship_once(bus: Bus, store: DocumentStore) -> None:
    bus.start()
    bus.deliver(times=3)
    assert bus.publisher.types().count("PaymentCompleted") == 1
    assert saga_of(store)["saga_status"] == "completed"
    assert stock(store) == (9, 0, 1)


def test_a_redelivery_after_the_ledger_entry_publishes_nothing(bus: Bus) -> None:
    bus.start()
    bus.deliver()
    sent = len(bus.publisher.sent)
    bus.delivered = 0
    bus.deliver()
    assert len(bus.publisher.sent) == sent


def test_the_end_of_a_saga_is_logged_once_with_its_outcome(
    bus: Bus, caplog: pytest.LogCaptureFixture
) -> None:
    bus.start()
    with caplog.at_level(logging.INFO, logger="saga.choreography"):
        bus.deliver(times=2)
    finished = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("saga_finished")
    ]
    assert finished == ["saga_finished saga_id=o1 order_id=o1 outcome=completed"]
