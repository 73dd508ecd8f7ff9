"""HTTP starters with a real func.HttpRequest and a mocked durable client: validation before any
start, idempotent starts keyed by the business id, and the public status shape."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock

import azure.functions as func
import pytest
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from triggers.http import start_saga
from triggers.sagas import KINDS
from triggers.status import STATUS_FIELDS
from triggers.status import orchestrated_status as public_status

URL = "http://localhost:7071/api/saga/sequential"


def request(body: Any, url: str = URL, content_type: str = "application/json") -> func.HttpRequest:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return func.HttpRequest("POST", url, headers={"Content-Type": content_type}, body=raw)


def status(
    input_: Any = None, runtime: str = "Running", output: Any = None, custom: Any = None
) -> Any:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return SimpleNamespace(
        input_=input_,
        runtime_status=OrchestrationRuntimeStatus(runtime),
        output=output,
        custom_status=custom,
        created_time=moment,
        last_updated_time=moment,
    )


def client(existing: Any = None) -> AsyncMock:
    mock = AsyncMock()
    mock.get_status.return_value = existing
    return mock


def start(body: Any, mock: AsyncMock, kind: str = "sequential", **kw: Any) -> func.HttpResponse:
    return asyncio.run(start_saga(request(body, **kw), mock, KINDS[kind]))


def test_the_seed_example_starts_a_sequential_saga_with_the_default_item() -> None:
    mock = client()
    response = start({"order_id": "123", "amount": 100}, mock)
    body = json.loads(response.get_body())
    assert response.status_code == 202
    assert body == {
        "id": "sequential-123",
        "statusQueryGetUri": "http://localhost:7071/api/saga/sequential-123/status",
    }
    assert response.headers["Location"] == body["statusQueryGetUri"]
    name, instance_id, payload = mock.start_new.call_args.args
    assert (name, instance_id) == ("sequential_saga", "sequential-123")
    assert payload["input"]["amount_minor"] == 10_000
    assert payload["input"]["items"] == [{"sku": "demo-widget", "quantity": 1}]


def test_the_parallel_seed_example_turns_bare_skus_into_one_unit_each() -> None:
    mock = client()
    response = start({"batch_id": "456", "items": ["a", "b", "c", "a"]}, mock, "parallel")
    assert response.status_code == 202
    payload = mock.start_new.call_args.args[2]
    assert payload["input"]["items"] == [
        {"sku": "a", "quantity": 2},
        {"sku": "b", "quantity": 1},
        {"sku": "c", "quantity": 1},
    ]
    assert payload["input"]["amount_minor"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 100}, "order_id"),
        ({"order_id": " ", "amount": 100}, "order_id"),
        ({"order_id": "1", "amount": -5}, "amount"),
        ({"order_id": "1", "amount": "100"}, "amount"),
        (
            {"order_id": "1", "amount": 100, "items": [{"sku": "a", "quantity": 0}]},
            "items.0.quantity",
        ),
        ({"order_id": "1", "amount": 100, "coupon": "x"}, "coupon"),
    ],
)
def test_invalid_bodies_are_refused_with_400_naming_the_field_and_start_nothing(
    body: dict[str, Any], field: str
) -> None:
    mock = client()
    response = start(body, mock)
    assert response.status_code == 400
    error = json.loads(response.get_body())
    assert error["field"] == field
    assert field.split(".")[0] in error["message"]
    mock.start_new.assert_not_called()


@pytest.mark.parametrize("raw", [b"{", b"[1, 2]", b'{"order_id": "1", "amount": NaN}', b""])
def test_malformed_json_is_a_400_not_a_500(raw: bytes) -> None:
    mock = client()
    assert start(raw, mock).status_code == 400
    mock.start_new.assert_not_called()


def test_a_non_json_content_type_is_refused() -> None:
    response = start({"order_id": "1", "amount": 1}, client(), content_type="text/plain")
    assert response.status_code == 400


def test_posting_the_same_order_again_returns_the_existing_instance_without_a_new_start() -> None:
    first = client()
    start({"order_id": "7", "amount": 10}, first)
    stored = json.dumps(first.start_new.call_args.args[2])
    again = client(status(input_=stored))
    response = start({"order_id": "7", "amount": 10}, again)
    assert response.status_code == 200
    assert json.loads(response.get_body())["id"] == "sequential-7"
    again.start_new.assert_not_called()


def test_the_same_order_id_with_a_different_payload_is_a_409() -> None:
    first = client()
    start({"order_id": "8", "amount": 10}, first)
    stored = json.dumps(first.start_new.call_args.args[2])
    response = start({"order_id": "8", "amount": 11}, client(status(input_=stored)))
    assert response.status_code == 409
    assert "order_id" in json.loads(response.get_body())["message"]


def test_losing_a_concurrent_start_race_answers_with_the_winner() -> None:
    winner = client()
    start({"order_id": "9", "amount": 10}, winner)
    stored = json.dumps(winner.start_new.call_args.args[2])
    mock = client()
    mock.start_new.side_effect = Exception("instance already running")
    mock.get_status.side_effect = [None, status(input_=stored)]
    assert start({"order_id": "9", "amount": 10}, mock).status_code == 200


def test_status_of_a_running_saga_names_its_current_step() -> None:
    custom = {
        "saga_status": "running",
        "current_step": "charge_payment",
        "completed_steps": ["create_order", "reserve_inventory"],
        "compensated_steps": [],
    }
    mock = client(status(custom=custom))
    body = asyncio.run(public_status(mock, "sequential-1"))
    assert body is not None
    assert body["saga_status"] == "running"
    assert body["current_step"] == "charge_payment"
    assert body["completed_steps"] == ["create_order", "reserve_inventory"]


def test_status_of_a_compensated_saga_reports_the_reason() -> None:
    output = {
        "status": "compensated",
        "reason": {"step": "charge_payment", "code": "payment_declined", "message": "declined"},
        "completed_steps": ["create_order"],
        "compensated_steps": ["cancel_order"],
    }
    body = asyncio.run(
        public_status(client(status(runtime="Completed", output=output)), "parallel-2")
    )
    assert body is not None
    assert body["saga_status"] == "compensated"
    assert body["error"]["code"] == "payment_declined"
    assert set(body) == STATUS_FIELDS


def test_status_of_ids_this_api_never_issued_is_not_found_without_asking_durable() -> None:
    mock = client(status())
    assert asyncio.run(public_status(mock, "someone-elses-orchestration")) is None
    mock.get_status.assert_not_called()


def test_the_simulate_block_is_an_unknown_field_unless_fault_injection_is_on() -> None:
    import composition
    from config import Settings
    from tests.fakes import InMemoryStore

    body = {"order_id": "s-1", "amount": 10, "simulate": {"fail_at": "payment"}}
    composition.override(store=InMemoryStore(), settings=Settings(saga_fault_injection=False))
    try:
        refused = start(body, client())
        composition.override(settings=Settings(saga_fault_injection=True))
        accepted = client()
        assert start(body, accepted).status_code == 202
        faults = composition.get_faults()
        assert faults is not None and faults.simulate_of("s-1") == {"fail_at": "payment"}
    finally:
        composition.reset()
    assert refused.status_code == 400
    assert json.loads(refused.get_body())["field"] == "simulate"
    # Stored with the order for the fault injector: never in the orchestration input.
    assert "simulate" not in json.dumps(accepted.start_new.call_args.args[2])


def test_an_unreachable_durable_backend_is_a_503_the_client_can_retry() -> None:
    mock = client()
    mock.get_status.side_effect = ConnectionError("connection refused")
    response = start({"order_id": "u-1", "amount": 1}, mock)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
