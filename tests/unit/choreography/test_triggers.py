"""The choreography's functions with real func objects and the composition root overridden:
HTTP start and status, the Event Hub handlers over a batch, the watchdog's clock."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func
import pytest
import time_machine
from azure.functions.timer import TimerRequest
from pytest_mock import MockerFixture

import composition
from config import Settings
from devhost.functions.app_index import build_index
from devhost.functions.http_functions import http_routes
from saga.choreography import consumers
from saga.containers import SAGAS
from saga.seed import seed_demo_data
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import RecordingPublisher
from triggers import choreography_handlers, choreography_http, http, watchdog

BASE = "http://localhost:7071/api"
HUB = "saga-events"


@pytest.fixture
def publisher() -> Iterator[RecordingPublisher]:
    store, publisher = InMemoryStore(), RecordingPublisher()
    seed_demo_data(store)
    settings = Settings(
        eventhub_name=HUB, saga_retry_first_interval_ms=1, saga_payment_limit_minor=50_000
    )
    composition.override(store=store, settings=settings, publisher=publisher)
    yield publisher
    composition.reset()


def post(body: Any) -> tuple[int, dict[str, Any], func.HttpResponse]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = func.HttpRequest(
        "POST", f"{BASE}/saga/choreography", headers={"Content-Type": "application/json"}, body=raw
    )
    response = choreography_http.start_choreography_saga(request)
    return response.status_code, json.loads(response.get_body()), response


def get_status(order_id: str) -> tuple[int, dict[str, Any]]:
    request = func.HttpRequest(
        "GET",
        f"{BASE}/saga/choreography/{order_id}/status",
        body=b"",
        route_params={"order_id": order_id},
    )
    response = choreography_http.get_choreography_status(request)
    return response.status_code, json.loads(response.get_body())


def deliver_all(publisher: RecordingPublisher) -> None:
    """Every consumer gets every event, one batch per consumer, until nothing new is published."""
    done = 0
    while done < len(publisher.sent):
        batch = [func.EventHubEvent(body=body.encode()) for _, _, body in publisher.sent[done:]]
        done = len(publisher.sent)
        for handler in (
            choreography_handlers.choreography_inventory,
            choreography_handlers.choreography_payment,
            choreography_handlers.choreography_shipping,
            choreography_handlers.choreography_orders,
            choreography_handlers.choreography_projector,
        ):
            handler(batch)


def test_the_seed_style_request_is_accepted_with_a_status_url(
    publisher: RecordingPublisher,
) -> None:
    code, body, response = post({"order_id": "123", "amount": 10, "items": [{"sku": "a"}]})
    url = f"{BASE}/saga/choreography/123/status"
    assert (code, body) == (202, {"id": "123", "statusQueryGetUri": url})
    assert response.headers["Location"] == url
    assert [json.loads(b)["type"] for _, _, b in publisher.sent] == ["OrderCreated"]


def test_the_status_follows_the_saga_to_its_end(publisher: RecordingPublisher) -> None:
    post({"order_id": "123", "amount": 10, "items": [{"sku": "a"}]})
    assert get_status("123")[1]["saga_status"] == "running"
    deliver_all(publisher)
    code, status = get_status("123")
    assert (code, status["saga_status"], status["instance_id"]) == (200, "completed", "123")


def test_the_same_request_again_is_200_and_a_different_one_409(
    publisher: RecordingPublisher,
) -> None:
    post({"order_id": "123", "amount": 10})
    assert post({"order_id": "123", "amount": 10})[0] == 200
    code, body, _ = post({"order_id": "123", "amount": 11})
    assert (code, body["error"], body["field"]) == (409, "conflict", "order_id")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 10}, "order_id"),
        ({"order_id": "1", "amount": -1}, "amount"),
        ({"order_id": "1", "amount": 1, "simulate": {}}, "simulate"),
        (b"{", None),
    ],
)
def test_an_invalid_request_is_400_and_starts_nothing(
    publisher: RecordingPublisher, body: Any, field: str | None
) -> None:
    code, answer, _ = post(body)
    assert (code, answer["field"]) == (400, field)
    assert publisher.sent == []


def test_an_unknown_saga_is_404(publisher: RecordingPublisher) -> None:
    assert get_status("nope") == (404, {"error": "not_found", "message": "no saga with this id"})


def test_a_store_outage_at_the_start_is_503_and_a_retry_succeeds(
    publisher: RecordingPublisher,
) -> None:
    store = composition.get_store()
    assert isinstance(store, InMemoryStore)
    store.fail_next("read", times=1)
    assert post({"order_id": "123", "amount": 10})[0] == 503
    assert post({"order_id": "123", "amount": 10})[0] == 202


def test_a_poison_event_mid_batch_does_not_stop_the_events_after_it(
    publisher: RecordingPublisher,
) -> None:
    post({"order_id": "1", "amount": 10})
    post({"order_id": "2", "amount": 10})
    first, second = (body.encode() for _, _, body in publisher.sent)
    batch = [func.EventHubEvent(body=b) for b in (first, b"poison", second)]
    choreography_handlers.choreography_inventory(batch)
    types = [json.loads(b)["type"] for _, _, b in publisher.sent]
    assert types.count("InventoryReserved") == 2


def test_each_service_reads_the_hub_in_its_own_consumer_group() -> None:
    app = func.FunctionApp()
    app.register_functions(choreography_handlers.bp)
    groups = {}
    for function in app.get_functions():
        trigger = function.get_trigger()
        assert (trigger.event_hub_name, trigger.connection) == (
            "%EVENTHUB_NAME%",
            "EVENTHUB_CONNECTION",
        )
        assert str(getattr(trigger.cardinality, "value", trigger.cardinality)) == "many"
        groups[function.get_function_name()] = trigger.consumer_group
    assert sorted(groups.values()) == sorted(c.name for c in consumers.ALL)


def test_a_watchdog_pass_times_out_overdue_sagas_and_survives_a_failing_store(
    publisher: RecordingPublisher, caplog: pytest.LogCaptureFixture
) -> None:
    post({"order_id": "123", "amount": 10})
    (created,) = [func.EventHubEvent(body=body.encode()) for _, _, body in publisher.sent]
    choreography_handlers.choreography_projector([created])  # only the read model moves
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=1)):
        watchdog.choreography_watchdog(TimerRequest())
        assert [json.loads(b)["type"] for _, _, b in publisher.sent][-1] == "SagaTimedOut"
        store = composition.get_store()
        assert isinstance(store, InMemoryStore)
        store.fail_next("query")
        with caplog.at_level(logging.ERROR):
            watchdog.choreography_watchdog(TimerRequest())
    assert "watchdog pass failed" in caplog.text


def test_on_azure_the_start_publishes_through_event_hubs_keyed_by_order(
    mocker: MockerFixture,
) -> None:
    producer_class = mocker.patch("azure.eventhub.EventHubProducerClient")
    store = InMemoryStore()
    seed_demo_data(store)
    connection = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s"
    settings = Settings(eventhub_name=HUB, eventhub_connection=connection)
    composition.override(store=store, settings=settings)
    try:
        assert post({"order_id": "123", "amount": 10})[0] == 202
    finally:
        composition.reset()
    producer_class.from_connection_string.assert_called_once_with(
        connection, eventhub_name="saga-events"
    )
    (call,) = producer_class.from_connection_string.return_value.send_batch.call_args_list
    assert call.kwargs == {"partition_key": "123"}
    assert [json.loads(e.body_as_str())["type"] for e in call.args[0]] == ["OrderCreated"]


def test_a_batch_that_cannot_be_processed_leaves_its_bodies_in_the_error_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    composition.reset()
    monkeypatch.setenv("SAGA_STORE", "nonsense")
    with caplog.at_level(logging.ERROR), pytest.raises(ValueError, match="SAGA_STORE"):
        choreography_handlers.choreography_orders([func.EventHubEvent(body=b'{"keep": "me"}')])
    assert '{"keep": "me"}' in caplog.text
    composition.reset()


def test_the_choreography_status_route_wins_over_the_orchestrated_one_on_the_dev_host() -> None:
    app = df.DFApp()
    for blueprint in (http.bp, choreography_http.bp):
        app.register_functions(blueprint)
    routes = http_routes(build_index(app).by_trigger("httpTrigger"))

    def served_by(path: str, method: str) -> str:
        return next(
            r.function.name
            for r in routes
            if r.template.match(path) is not None and method in (r.methods or {method})
        )

    assert served_by("saga/choreography/123/status", "GET") == "get_choreography_status"
    assert served_by("saga/sequential-123/status", "GET") == "get_saga_status"
    assert served_by("saga/choreography", "POST") == "start_choreography_saga"


def test_without_eventhub_name_the_start_is_503_naming_the_setting_and_starts_nothing() -> None:
    store, publisher = InMemoryStore(), RecordingPublisher()
    seed_demo_data(store)
    composition.override(store=store, settings=Settings(), publisher=publisher)
    try:
        status, body, _ = post({"order_id": "123", "amount": 10})
    finally:
        composition.reset()
    assert (status, body["setting"]) == (503, "EVENTHUB_NAME")
    assert "EVENTHUB_NAME is not set" in body["message"]
    assert publisher.sent == []
    assert store.query(SAGAS, {}) == []
