"""The `devhost` fixture runs the real function_app the way `make run` does."""

from __future__ import annotations

from devhost.testing.process import DevHostProcess


def test_the_seed_sequential_example_runs_to_completion_on_the_dev_host(
    devhost: DevHostProcess,
) -> None:
    reply = devhost.client.request(
        "POST", "/api/saga/sequential", {"order_id": "123", "amount": 100}
    )

    assert reply.status == 202, reply
    assert devhost.client.wait(reply.json()["id"])["runtimeStatus"] == "Completed"
