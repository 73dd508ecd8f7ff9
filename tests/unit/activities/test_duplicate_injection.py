"""The ``duplicate`` failure injection: an activity makes its service call twice, a choreography
saga's events are published twice; the request field is a strict boolean."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import composition
from activities.order_sagas import SAGAS
from activities.steps import activities_of, activity
from adapters.faults import DuplicatingPublisher, FaultInjector
from adapters.sqlite import SqliteStore
from saga import payments
from saga.containers import PAYMENTS
from triggers.validation import RequestError, SequentialRequest, validate

ORDER = {"order_id": "d-1", "customer_id": "c", "amount_minor": 500}


class RecordingPublisher:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        self.sent.extend(events)


def charge() -> Any:
    key_field, handler = activities_of(SAGAS)["charge_payment"]
    return activity("charge_payment", key_field, handler)


def injector() -> FaultInjector:
    faults = composition.get_faults()
    assert faults is not None
    return faults


def test_a_duplicated_activity_calls_its_service_twice_and_answers_like_one_call(
    store: SqliteStore, mocker: Any
) -> None:
    injector().remember("d-1", {"duplicate": True})
    spy = mocker.spy(payments, "charge_payment")
    result = charge()(ORDER)
    assert spy.call_count == 2
    assert (result["ok"], result["state"]) == (True, "charged")
    assert len(store.query(PAYMENTS, {"order_id": "d-1"})) == 1


def test_without_duplicate_the_service_is_called_once(store: SqliteStore, mocker: Any) -> None:
    injector().remember("d-1", {})
    spy = mocker.spy(payments, "charge_payment")
    charge()(ORDER)
    assert spy.call_count == 1


def test_only_events_of_sagas_asking_for_duplicates_are_published_twice(
    store: SqliteStore,
) -> None:
    injector().remember("k1", {"duplicate": True})
    injector().remember("k2", {"fail_at": "payment"})
    inner = RecordingPublisher()
    twice, once, unknown = ("k1", "body 1"), ("k2", "body 2"), ("k3", "body 3")
    DuplicatingPublisher(inner, injector()).publish("hub", [twice, once, unknown])
    assert inner.sent == [twice, once, unknown, twice]


def test_the_published_duplicate_comes_from_the_composition_root_only_when_asked(
    store: SqliteStore,
) -> None:
    composition.override(publisher=RecordingPublisher())
    assert isinstance(composition.get_publisher(), DuplicatingPublisher)


def test_duplicate_must_be_a_json_boolean() -> None:
    body = {"order_id": "d-2", "amount": 1, "simulate": {"duplicate": "yes"}}
    with pytest.raises(RequestError) as refused:
        validate(SequentialRequest, body, max_items=10, allow_simulate=True)
    assert refused.value.field == "simulate.duplicate"
    body["simulate"] = {"duplicate": True}
    assert validate(SequentialRequest, body, max_items=10, allow_simulate=True).simulate.duplicate
