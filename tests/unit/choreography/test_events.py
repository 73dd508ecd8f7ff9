"""The event envelope: versioned, validated on receipt, deterministic ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from saga.events import EventType, InvalidEvent, first_event, follow, parse_event, to_dict, to_json
from tests.unit.choreography.harness import order_of

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def created() -> dict:
    return to_dict(first_event(EventType.ORDER_CREATED, order_of("o1"), NOW))


def test_an_event_survives_the_round_trip_through_json() -> None:
    event = first_event(EventType.ORDER_CREATED, order_of("o1"), NOW)
    assert parse_event(to_json(event)) == event
    assert parse_event(to_json(event).encode()) == event


def test_the_envelope_carries_version_ids_and_the_order() -> None:
    body = created()
    assert {
        k: body[k]
        for k in (
            "schema_version",
            "event_id",
            "type",
            "order_id",
            "causation_id",
            "correlation_id",
        )
    } == {
        "schema_version": 1,
        "event_id": "o1:OrderCreated",
        "type": "OrderCreated",
        "order_id": "o1",
        "causation_id": None,
        "correlation_id": "o1",
    }
    assert body["occurred_at"] == "2026-01-01T00:00:00Z"
    assert body["data"]["order"]["items"] == [{"sku": "a", "quantity": 1}]


def test_a_following_event_names_its_cause_and_keeps_the_correlation() -> None:
    cause = parse_event(json.dumps(created()))
    reason = {"step": "reserve_inventory", "code": "out_of_stock", "message": "none left"}
    event = follow(cause, EventType.INVENTORY_RESERVATION_FAILED, NOW, reason)
    assert event.event_id == "o1:InventoryReservationFailed"
    assert (event.causation_id, event.correlation_id) == ("o1:OrderCreated", "o1")
    assert event.data.reason is not None and event.data.reason.code == "out_of_stock"


def test_publishing_the_same_event_again_gives_the_same_id() -> None:
    later = datetime(2026, 1, 2, tzinfo=UTC)
    again = first_event(EventType.ORDER_CREATED, order_of("o1"), later)
    assert again.event_id == created()["event_id"]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"schema_version": 2}, "schema_version"),
        ({"type": "OrderTeleported"}, "type"),
        ({"event_id": "o1:Something"}, "event_id"),
        ({"order_id": "o2"}, "order_id"),
        ({"occurred_at": "2026-01-01T00:00:00"}, "occurred_at"),
        ({"surprise": 1}, "surprise"),
        ({"data": {"order": {**order_of("o1"), "amount_minor": 1.5}}}, "amount_minor"),
        ({"data": {"order": {**order_of("o1"), "items": []}}}, "items"),
    ],
)
def test_an_invalid_envelope_is_refused_naming_what_is_wrong(change: dict, complaint: str) -> None:
    with pytest.raises(InvalidEvent, match=complaint):
        parse_event(json.dumps({**created(), **change}))


@pytest.mark.parametrize("body", ["", "[]", "null", "{", '"text"'])
def test_a_body_that_is_not_an_envelope_is_refused(body: str) -> None:
    with pytest.raises(InvalidEvent):
        parse_event(body)
