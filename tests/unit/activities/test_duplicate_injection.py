"""The ``duplicate`` failure injection: an activity makes its service call twice, a choreography
saga's events are published twice; the request field is a strict boolean."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from activities import payments
from activities.faults import DuplicatingPublisher
from adapters.sqlite import SqliteStore
from saga.containers import PAYMENTS
from triggers.validation import RequestError, SequentialRequest, validate

ORDER = {"order_id": "d-1", "customer_id": "c", "amount_minor": 500}


class RecordingPublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        self.sent.extend(events)


def event_body(order_id: str, simulate: dict[str, Any] | None) -> str:
    return json.dumps({"data": {"order": {"order_id": order_id, "simulate": simulate}}})


def test_a_duplicated_activity_calls_its_service_twice_and_answers_like_one_call(
    store: SqliteStore, mocker: Any
) -> None:
    spy = mocker.spy(payments.payment_service, "charge_payment")
    charge = payments.charge_payment.build().get_user_function()
    result = charge({**ORDER, "simulate": {"duplicate": True}})
    assert spy.call_count == 2
    assert (result["ok"], result["state"]) == (True, "charged")
    assert len(store.query(PAYMENTS, {"order_id": "d-1"})) == 1


def test_without_duplicate_the_service_is_called_once(store: SqliteStore, mocker: Any) -> None:
    spy = mocker.spy(payments.payment_service, "charge_payment")
    payments.charge_payment.build().get_user_function()({**ORDER, "simulate": {}})
    assert spy.call_count == 1


def test_only_events_of_sagas_asking_for_duplicates_are_published_twice() -> None:
    inner = RecordingPublisher()
    twice = ("k1", event_body("k1", {"duplicate": True}))
    once = ("k2", event_body("k2", None))
    garbage = ("k3", "not json")
    DuplicatingPublisher(inner).publish("hub", [twice, once, garbage])
    assert inner.sent == [twice, once, garbage, twice]


def test_duplicate_must_be_a_json_boolean() -> None:
    body = {"order_id": "d-2", "amount": 1, "simulate": {"duplicate": "yes"}}
    with pytest.raises(RequestError) as refused:
        validate(SequentialRequest, body, max_items=10, allow_simulate=True)
    assert refused.value.field == "simulate.duplicate"
    body["simulate"] = {"duplicate": True}
    assert validate(SequentialRequest, body, max_items=10, allow_simulate=True).simulate.duplicate
