"""History retention on the dev host, over HTTP: the app's purge timer removes the Durable
history of sagas that ended and are past the retention period, and leaves running and recent
ones alone."""

from __future__ import annotations

import time
from typing import Any

from devhost.testing.client import WEBHOOK
from tests.e2e.conftest import HostFactory
from tests.e2e.saga_api import SagaApi

RETENTION_S = 6  # long enough for a recent saga to run and be checked on a loaded machine
APP_ENV = {
    "SAGA_HISTORY_RETENTION_SECONDS": str(RETENTION_S),
    "SAGA_HISTORY_PURGE_SCHEDULE": "* * * * * *",  # every second
    "SAGA_FAULT_INJECTION": "true",  # for a saga that is still running (a slow payment)
}


def start(api: SagaApi, order_id: str, **extra: Any) -> str:
    code, body = api.post("/api/saga/sequential", {"order_id": order_id, "amount": 100, **extra})
    assert code == 202, body
    return str(body["id"])


def known(api: SagaApi, instance_id: str) -> bool:
    return api.request("GET", f"{WEBHOOK}/instances/{instance_id}").status != 404


def test_the_purge_timer_removes_ended_sagas_past_retention_and_keeps_the_rest(
    devhost_factory: HostFactory,
) -> None:
    host = devhost_factory(env=APP_ENV)
    api = SagaApi(host.base_url)
    old = [start(api, f"old-{n}") for n in range(3)]
    old.append(start(api, "old-declined", amount=200_000))  # compensated: it ended too
    for instance_id in old:
        api.wait_until_done(instance_id)
    # Still running when the test ends (the host is stopped then), and past retention by then.
    slow = start(api, "slow", simulate={"delay_seconds": {"payment": RETENTION_S * 3}})
    time.sleep(RETENTION_S + 0.5)  # the old sagas (and the slow one) are now past retention
    recent = start(api, "recent")
    api.wait_until_done(recent)

    deadline = time.monotonic() + 3
    while any(known(api, i) for i in old) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert not any(known(api, i) for i in old)
    assert api.status(old[0])[0] == 404  # the public status route agrees
    assert api.status(slow)[1]["saga_status"] == "running"
    assert known(api, recent)
    host.kill()  # rather than wait at shutdown for the slow payment's sleeping thread
