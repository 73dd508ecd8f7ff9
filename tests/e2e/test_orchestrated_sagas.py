"""The orchestrated sagas end to end: the dev host runs function_app.py with the real Durable
replay, the tests speak HTTP like the seeds' curl examples and then check the store."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from adapters.sqlite import SqliteStore
from saga.containers import DEADLETTERS, INVENTORY, ORDERS, PAYMENTS, SHIPMENTS
from saga.inventory import get_reservation
from saga.seed import SCARCE_SKU, SCARCE_STOCK
from tests.e2e.saga_api import SagaApi

APP_ENV = {
    "SAGA_FAULT_INJECTION": "true",
    "SAGA_STEP_TIMEOUT_SECONDS": "1",
    "SAGA_RETRY_FIRST_INTERVAL_MS": "50",
    "SAGA_COMPENSATION_MAX_ATTEMPTS": "3",
}


@pytest.fixture(scope="module")
def host(devhost_factory: Any) -> Any:
    return devhost_factory(env=APP_ENV)


@pytest.fixture
def api(host: Any) -> SagaApi:
    return SagaApi(host.base_url)


@pytest.fixture
def store(host: Any) -> SqliteStore:
    return SqliteStore(str(host.store_path))


def run_sequential(api: SagaApi, body: dict[str, Any]) -> dict[str, Any]:
    code, started = api.post("/api/saga/sequential", body)
    assert code == 202, started
    return api.wait_until_done(started["id"])


def test_the_seed_sequential_example_completes(api: SagaApi, store: SqliteStore) -> None:
    reply = api.request("POST", "/api/saga/sequential", raw=b'{"order_id": "123", "amount": 100}')
    body = reply.json()
    assert reply.status == 202
    assert reply.headers["Location"] == body["statusQueryGetUri"]
    done = api.wait_until_done(body["id"])
    assert done["saga_status"] == "completed"
    assert done["completed_steps"][-2:] == ["commit_inventory", "confirm_order"]
    order = store.read(ORDERS, "123", "123")
    payment = store.read(PAYMENTS, "123", "123")
    assert order is not None and order["state"] == "confirmed"
    assert payment is not None and (payment["state"], payment["amount_minor"]) == (
        "charged",
        10_000,
    )


def test_the_seed_parallel_example_reserves_every_item(api: SagaApi, store: SqliteStore) -> None:
    code, body = api.post("/api/saga/parallel", {"batch_id": "456", "items": ["a", "b", "c"]})
    assert code == 202
    done = api.wait_until_done(body["id"])
    assert done["saga_status"] == "completed"
    assert {"reserve_inventory:a", "reserve_inventory:b", "reserve_inventory:c"} <= set(
        done["completed_steps"]
    )
    for sku in "abc":
        reservation = get_reservation(store, sku, "456")
        assert reservation is not None and reservation["state"] == "committed"


def test_out_of_stock_compensates_and_leaves_the_scarce_stock_untouched(
    api: SagaApi, store: SqliteStore
) -> None:
    items = [{"sku": SCARCE_SKU, "quantity": SCARCE_STOCK + 1}]
    done = run_sequential(api, {"order_id": "oos-1", "amount": 10, "items": items})
    assert done["saga_status"] == "compensated"
    assert (done["output"]["failed_step"], done["error"]["code"]) == (
        "reserve_inventory",
        "out_of_stock",
    )
    assert done["compensated_steps"] == ["cancel_order"]
    item = store.read(INVENTORY, SCARCE_SKU, SCARCE_SKU)
    assert item is not None and item["available"] == SCARCE_STOCK


def test_payment_declined_releases_reserved_stock(api: SagaApi, store: SqliteStore) -> None:
    done = run_sequential(api, {"order_id": "decl-1", "amount": 200_000})
    assert (done["saga_status"], done["error"]["code"]) == ("compensated", "payment_declined")
    assert done["compensated_steps"] == ["release_inventory", "cancel_order"]
    order = store.read(ORDERS, "decl-1", "decl-1")
    assert order is not None and order["state"] == "cancelled"
    reservation = get_reservation(store, "demo-widget", "decl-1")
    assert reservation is not None and reservation["state"] == "released"


def test_a_failed_parallel_branch_compensates_exactly_the_branches_that_succeeded(
    api: SagaApi, store: SqliteStore
) -> None:
    items = ["a", {"sku": SCARCE_SKU, "quantity": SCARCE_STOCK + 1}, "c"]
    code, body = api.post("/api/saga/parallel", {"batch_id": "par-oos", "items": items})
    assert code == 202
    done = api.wait_until_done(body["id"])
    assert done["saga_status"] == "compensated"
    assert done["output"]["failed_step"] == f"reserve_inventory:{SCARCE_SKU}"
    assert set(done["compensated_steps"]) == {
        "release_inventory:a",
        "release_inventory:c",
        "refund_payment",
        "cancel_order",
    }
    payment = store.read(PAYMENTS, "par-oos", "par-oos")
    assert payment is not None and payment["state"] == "refunded"


def test_transient_faults_are_retried_until_the_saga_completes(api: SagaApi) -> None:
    simulate = {"transient_faults": {"payment": 2, "inventory": 1}}
    done = run_sequential(api, {"order_id": "flaky-1", "amount": 5, "simulate": simulate})
    assert done["saga_status"] == "completed"


def test_a_step_finishing_after_its_timeout_leaves_no_effect(
    api: SagaApi, store: SqliteStore
) -> None:
    simulate = {"delay_seconds": {"shipping": 2}}
    done = run_sequential(api, {"order_id": "slow-1", "amount": 5, "simulate": simulate})
    assert (done["saga_status"], done["error"]["code"]) == ("compensated", "timeout")
    assert "cancel_shipment" in done["compensated_steps"]
    time.sleep(2.5)  # let the late ship_order finish: it must meet the tombstone
    shipment = store.read(SHIPMENTS, "slow-1", "slow-1")
    assert shipment is not None and shipment["state"] == "cancelled"


def test_a_compensation_that_keeps_failing_ends_compensation_failed_with_a_dead_letter(
    api: SagaApi, store: SqliteStore
) -> None:
    simulate = {"fail_at": "shipping", "fail_compensation": {"payment": 100}}
    done = run_sequential(api, {"order_id": "stuck-1", "amount": 5, "simulate": simulate})
    assert done["saga_status"] == "compensation_failed"
    assert [f["step"] for f in done["output"]["failed_compensations"]] == ["refund_payment"]
    assert done["compensated_steps"] == ["release_inventory", "cancel_order"]
    assert store.query(DEADLETTERS, {"order_id": "stuck-1"}) != []


def test_the_same_order_posted_concurrently_starts_one_saga_and_charges_once(
    api: SagaApi, store: SqliteStore
) -> None:
    body = {"order_id": "dup-1", "amount": 7}
    answers: list[tuple[int, Any]] = []
    threads = [
        threading.Thread(target=lambda: answers.append(api.post("/api/saga/sequential", body)))
        for _ in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {code for code, _ in answers} <= {200, 202}
    assert {answer["id"] for _, answer in answers} == {"sequential-dup-1"}
    api.wait_until_done("sequential-dup-1")
    assert [code for code, _ in [api.post("/api/saga/sequential", body)]] == [200]
    assert len(store.query(PAYMENTS, {"order_id": "dup-1"})) == 1


def test_the_same_order_id_with_another_payload_is_a_conflict(api: SagaApi) -> None:
    assert api.post("/api/saga/sequential", {"order_id": "cf-1", "amount": 1})[0] == 202
    code, body = api.post("/api/saga/sequential", {"order_id": "cf-1", "amount": 2})
    assert code == 409 and body["field"] == "order_id"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"order_id": "bad-1", "amount": -1}',
        b'{"order_id": "bad-2", "amount": "100"}',
        b'{"order_id": "bad-3", "amount": 1, "extra": true}',
        b'{"order_id": "bad-4", "amount": 1, "items": [{"sku": "a", "quantity": 0}]}',
        b'{"order_id": "bad-5", "amount": 1',
    ],
)
def test_invalid_requests_get_400_and_start_nothing(api: SagaApi, raw: bytes) -> None:
    reply = api.request("POST", "/api/saga/sequential", raw=raw)
    code, body = reply.status, reply.json()
    assert code == 400 and body["message"]
    bad_id = raw.split(b'"')[3].decode()
    assert api.status(f"sequential-{bad_id}")[0] == 404


def test_status_of_an_unknown_saga_is_404(api: SagaApi) -> None:
    assert api.status("sequential-never-started")[0] == 404
