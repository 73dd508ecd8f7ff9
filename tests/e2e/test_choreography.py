"""The choreography saga end to end: the dev host runs the real app (or the app with one fault made
on purpose, tests/e2e/choreography_chaos.py), the tests POST and poll like curl, then check the
store: every path, duplicated delivery, a host dying mid-batch, a stuck saga and the watchdog."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from adapters.sqlite import SqliteStore
from devhost.events.log import DEFAULT_PARTITIONS, partition_for
from devhost.testing.process import DevHostProcess
from saga.containers import DEADLETTERS, INVENTORY, LEDGER, ORDERS, PAYMENTS, SHIPMENTS
from saga.inventory import get_reservation
from saga.seed import DEFAULT_SKU, SCARCE_SKU, SCARCE_STOCK
from tests.e2e.conftest import HostFactory
from tests.e2e.saga_api import SagaApi

CHAOS_APP = "tools.soak.chaos_app:app"
ENV = {
    "EVENTHUB_NAME": "saga-events",
    "SAGA_FAULT_INJECTION": "true",
    "SAGA_RETRY_FIRST_INTERVAL_MS": "10",
    "SAGA_RETRY_MAX_ATTEMPTS": "3",
}
START = "/api/saga/choreography"


@pytest.fixture(scope="module")
def host(devhost_factory: HostFactory) -> DevHostProcess:
    return devhost_factory(env=ENV)


def api_of(host: DevHostProcess) -> SagaApi:
    return SagaApi(host.base_url)


def store_of(host: DevHostProcess) -> SqliteStore:
    return SqliteStore(str(host.store_path))


def run(host: DevHostProcess, body: dict[str, Any]) -> dict[str, Any]:
    code, started = api_of(host).post(START, body)
    assert code == 202, started
    return api_of(host).wait_until_done(started["id"], "choreography", timeout=15)


def doc(store: SqliteStore, container: str, order_id: str) -> dict[str, Any]:
    found = store.read(container, order_id, order_id)
    assert found is not None, f"{container}/{order_id}"
    return found


def test_the_seed_style_request_completes_through_every_service(host: DevHostProcess) -> None:
    api, store = api_of(host), store_of(host)
    reply = api.request("POST", START, raw=b'{"order_id": "ch-1", "amount": 100}')
    code, body, headers = reply.status, reply.json(), reply.headers
    assert (code, body["id"]) == (202, "ch-1")
    assert (
        headers["Location"]
        == body["statusQueryGetUri"]
        == (f"{host.base_url}/api/saga/choreography/ch-1/status")
    )
    done = api.wait_until_done("ch-1", "choreography", timeout=15)
    assert (done["runtime_status"], done["saga_status"]) == ("Completed", "completed")
    assert done["completed_steps"] == [
        "create_order",
        "reserve_inventory",
        "charge_payment",
        "ship_order",
        "complete_order",
    ]
    assert doc(store, ORDERS, "ch-1")["state"] == "confirmed"
    assert doc(store, PAYMENTS, "ch-1")["amount_minor"] == 10_000
    assert doc(store, SHIPMENTS, "ch-1")["state"] == "shipped"
    reservation = get_reservation(store, DEFAULT_SKU, "ch-1")
    assert reservation is not None and reservation["state"] == "committed"


def test_out_of_stock_cancels_the_order_and_leaves_the_stock(host: DevHostProcess) -> None:
    items = [{"sku": SCARCE_SKU, "quantity": SCARCE_STOCK + 1}]
    done = run(host, {"order_id": "ch-oos", "amount": 10, "items": items})
    assert (done["saga_status"], done["error"]["code"]) == ("compensated", "out_of_stock")
    assert done["compensated_steps"] == ["cancel_order"]
    item = store_of(host).read(INVENTORY, SCARCE_SKU, SCARCE_SKU)
    assert item is not None and item["available"] == SCARCE_STOCK


def test_payment_declined_releases_the_stock_and_cancels(host: DevHostProcess) -> None:
    done = run(host, {"order_id": "ch-decl", "amount": 200_000})
    assert (done["saga_status"], done["error"]["code"]) == ("compensated", "payment_declined")
    assert done["compensated_steps"] == ["release_inventory", "cancel_order"]
    assert doc(store_of(host), ORDERS, "ch-decl")["state"] == "cancelled"


def test_a_shipping_failure_refunds_releases_and_cancels(host: DevHostProcess) -> None:
    simulate = {"fail_at": "shipping"}
    done = run(host, {"order_id": "ch-ship", "amount": 5, "simulate": simulate})
    assert (done["saga_status"], done["error"]["step"]) == ("compensated", "ship_order")
    assert done["compensated_steps"] == ["refund_payment", "release_inventory", "cancel_order"]
    assert doc(store_of(host), PAYMENTS, "ch-ship")["state"] == "refunded"


def test_transient_faults_are_retried_in_the_handler(host: DevHostProcess) -> None:
    simulate = {"transient_faults": {"payment": 2, "inventory": 1}}
    done = run(host, {"order_id": "ch-flaky", "amount": 5, "simulate": simulate})
    assert done["saga_status"] == "completed"
    assert store_of(host).query(DEADLETTERS, {"order_id": "ch-flaky"}) == []


def test_a_refund_that_keeps_failing_ends_compensation_failed_with_a_dead_letter(
    host: DevHostProcess,
) -> None:
    simulate = {"fail_at": "shipping", "fail_compensation": {"payment": 100}}
    done = run(host, {"order_id": "ch-stuck", "amount": 5, "simulate": simulate})
    assert done["saga_status"] == "compensation_failed"
    assert [f["step"] for f in done["output"]["failed_compensations"]] == ["refund_payment"]
    (letter,) = store_of(host).query(DEADLETTERS, {"order_id": "ch-stuck"})
    assert (letter["consumer"], letter["type"]) == ("payment", "ShippingFailed")


def test_the_same_order_again_is_200_another_payload_409_and_a_bad_one_400(
    host: DevHostProcess,
) -> None:
    api = api_of(host)
    assert api.post(START, {"order_id": "ch-idem", "amount": 3})[0] == 202
    assert api.post(START, {"order_id": "ch-idem", "amount": 3}) == (
        200,
        {
            "id": "ch-idem",
            "statusQueryGetUri": f"{host.base_url}/api/saga/choreography/ch-idem/status",
        },
    )
    code, body = api.post(START, {"order_id": "ch-idem", "amount": 4})
    assert (code, body["field"]) == (409, "order_id")
    code, body = api.post(START, {"order_id": "ch-bad", "amount": -1})
    assert (code, body["field"]) == (400, "amount")
    assert api.status("ch-bad", "choreography")[0] == 404
    assert api.wait_until_done("ch-idem", "choreography")["saga_status"] == "completed"
    assert len(store_of(host).query(PAYMENTS, {"order_id": "ch-idem"})) == 1


def test_every_event_delivered_twice_gives_the_same_outcomes(
    devhost_factory: HostFactory,
) -> None:
    host = devhost_factory(app=CHAOS_APP, env={**ENV, "CHOREOGRAPHY_CHAOS": "twice"})
    store = store_of(host)
    assert run(host, {"order_id": "tw-ok", "amount": 5})["saga_status"] == "completed"
    declined = run(host, {"order_id": "tw-decl", "amount": 200_000})
    assert declined["compensated_steps"] == ["release_inventory", "cancel_order"]
    shipping = run(host, {"order_id": "tw-ship", "amount": 5, "simulate": {"fail_at": "shipping"}})
    assert shipping["compensated_steps"] == ["refund_payment", "release_inventory", "cancel_order"]
    states = {
        o: (get_reservation(store, DEFAULT_SKU, o) or {}).get("state")
        for o in ("tw-ok", "tw-decl", "tw-ship")
    }
    assert states == {"tw-ok": "committed", "tw-decl": "released", "tw-ship": "released"}
    assert store.query(DEADLETTERS, {}) == []


def same_partition_ids(prefix: str, count: int) -> list[str]:
    """Order ids whose events all land on one partition, so one consumer sees them in one batch."""
    ids = (f"{prefix}-{n}" for n in range(1000))
    target = partition_for(f"{prefix}-0", DEFAULT_PARTITIONS)
    return [i for i in ids if partition_for(i, DEFAULT_PARTITIONS) == target][:count]


def test_a_host_dying_mid_batch_loses_no_event_and_charges_each_order_once(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    go, crashed = tmp_path / "go", tmp_path / "crashed"
    orders = same_partition_ids("crash", 5)
    chaos = {
        "CHOREOGRAPHY_CHAOS": "crash",
        "CHAOS_GO": str(go),
        "CHAOS_CRASHED": str(crashed),
        "CHAOS_CRASH_ORDER": orders[-1],  # the last of a batch: the ones before it are done
    }
    host = devhost_factory(app=CHAOS_APP, env={**ENV, **chaos})
    api = api_of(host)
    for order_id in orders:  # payment writes are held: the reserved events pile up
        assert api.post(START, {"order_id": order_id, "amount": 5})[0] == 202
    for order_id in orders:
        wait_for_step(api, order_id, "charge_payment")
    go.touch()
    assert host.process is not None and host.process.wait(timeout=10) == 137
    assert crashed.exists()
    host.start()
    store = store_of(host)
    for order_id in orders:
        assert api_of(host).wait_until_done(order_id, "choreography")["saga_status"] == "completed"
        assert doc(store, PAYMENTS, order_id)["state"] == "charged"
        assert len(store.query(LEDGER, {"consumer": "payment"}, partition=order_id)) == 1
        assert doc(store, SHIPMENTS, order_id)["state"] == "shipped"
    # The batch came again from its checkpoint: what was done before the crash was recognised.
    assert (
        "consumer=payment event_type=InventoryReserved step=charge_payment outcome=duplicate"
        in (host.log())
    )


def wait_for_step(api: SagaApi, order_id: str, step: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while api.status(order_id, "choreography")[1]["current_step"] != step:
        assert time.monotonic() < deadline, f"{order_id} never reached {step}"
        time.sleep(0.02)


def test_a_stuck_saga_is_compensated_by_the_watchdog_under_virtual_time(
    devhost_factory: HostFactory,
) -> None:
    env = {**ENV, "CHOREOGRAPHY_CHAOS": "drop", "SAGA_CHOREOGRAPHY_DEADLINE_SECONDS": "300"}
    host = devhost_factory(app=CHAOS_APP, env=env, virtual=True)
    assert run(host, {"order_id": "kept-1", "amount": 5})["saga_status"] == "completed"
    done = run(host, {"order_id": "lost-1", "amount": 5})
    assert (done["saga_status"], done["error"]["code"]) == ("compensated", "deadline_exceeded")
    assert done["error"]["step"] == "charge_payment"  # PaymentCompleted never arrived
    assert done["compensated_steps"] == [
        "cancel_shipment",
        "refund_payment",
        "release_inventory",
        "cancel_order",
    ]
    store = store_of(host)
    assert doc(store, SHIPMENTS, "lost-1")["state"] == "cancelled"  # the tombstone
    assert doc(store, PAYMENTS, "lost-1")["state"] == "refunded"
