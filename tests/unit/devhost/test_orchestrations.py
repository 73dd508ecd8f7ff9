"""Orchestrations replayed by the real Durable SDK through the dev host."""

from __future__ import annotations

import json
import sqlite3

from devhost.durable.history import EVENT_NAMES
from devhost.testing.client import HostClient
from tests.devhost_apps.inprocess import InProcessHost


def test_sequential_activities_pass_each_result_to_the_next(client: HostClient) -> None:
    instance_id = client.start("sequence", 5)

    status = client.wait(instance_id)

    assert status["runtimeStatus"] == "Completed"
    assert status["output"] == [6, 7, 8]
    assert status["input"] == 5


def test_fan_out_collects_every_result_including_async_activities(client: HostClient) -> None:
    status = client.wait(client.start("fan_out", list(range(50))))

    assert status["output"] == 2 * sum(range(50))


def scheduled_ids(host: InProcessHost, instance_id: str) -> dict[str, list[int]]:
    """The ids the host recorded (the stored history: the condensed view has no EventId)."""
    with sqlite3.connect(host.options.state) as db:
        rows = db.execute(
            "SELECT event FROM history WHERE instance_id = ? ORDER BY seq", (instance_id,)
        ).fetchall()
    ids: dict[str, list[int]] = {"TaskScheduled": [], "TimerCreated": []}
    for (text,) in rows:
        event = json.loads(text)
        name = EVENT_NAMES[event["EventType"]]
        if name in ids:
            ids[name].append(event["EventId"])
    return ids


def test_an_external_event_wins_the_race_against_a_timer(client: HostClient) -> None:
    instance_id = client.start("approval", 1)
    client.wait_for(instance_id, lambda s: s and s["runtimeStatus"] == "Running")

    assert client.raise_event(instance_id, "approve", {"by": "ann"}).status == 202
    status = client.wait(instance_id)

    assert status["output"] == {"approved": {"by": "ann"}}


def test_an_event_raised_before_anyone_waits_is_kept_for_later(client: HostClient) -> None:
    instance_id = client.start("status_then_wait")
    client.raise_event(instance_id, "go", "early")

    assert client.wait(instance_id)["output"] == "early"


def test_a_caught_activity_failure_reaches_the_orchestrator_as_its_reason(
    client: HostClient,
) -> None:
    status = client.wait(client.start("catch_failure"))

    assert status["output"] == "Activity function 'fail' failed: ValueError: card declined"


def test_an_uncaught_failure_fails_the_instance_and_keeps_the_custom_status(
    client: HostClient,
) -> None:
    status = client.wait(client.start("uncaught"))

    assert status["runtimeStatus"] == "Failed"
    assert status["output"].startswith(
        "Orchestrator function 'uncaught' failed: Activity function 'fail' failed: ValueError: boom"
    )
    assert status["customStatus"] == {"stage": "charging"}


def test_retries_take_the_ids_the_sdk_allocates_and_succeed_on_the_third_attempt(
    host: InProcessHost, client: HostClient
) -> None:
    instance_id = client.start("retry_flaky")
    status = client.wait(instance_id)

    assert status["output"] == "ok after 3"
    assert scheduled_ids(host, instance_id) == {"TaskScheduled": [0, 2, 4], "TimerCreated": [1, 3]}


def test_exhausted_retries_fail_with_the_last_error_after_one_extra_timer(
    host: InProcessHost, client: HostClient
) -> None:
    instance_id = client.start("retry_fail")
    status = client.wait(instance_id)

    assert status["runtimeStatus"] == "Failed"
    assert "Activity function 'fail' failed: ValueError: always" in status["output"]
    assert scheduled_ids(host, instance_id) == {"TaskScheduled": [0, 2], "TimerCreated": [1, 3]}


def test_sub_orchestrations_return_results_and_failures_to_the_parent(client: HostClient) -> None:
    status = client.wait(client.start("parent", 10))

    assert status["output"]["child"] == [11, 12, 13]
    assert status["output"]["failed_child"].startswith(
        "Orchestrator function 'uncaught' failed: Activity function 'fail' failed"
    )


def test_continue_as_new_restarts_the_instance_with_the_new_input(client: HostClient) -> None:
    status = client.wait(client.start("counter", 0, instance_id="count-1"), showHistory="true")

    assert status["output"] == 3
    assert status["input"] == 3
    started = [e for e in status["historyEvents"] if e["EventType"] == "ExecutionStarted"]
    assert len(started) == 1


def test_terminate_ends_a_waiting_instance_with_the_reason_as_output(client: HostClient) -> None:
    instance_id = client.start("status_then_wait")
    client.wait_for(instance_id, lambda s: s and s["customStatus"] == {"stage": "waiting"})

    reply = client.request(
        "POST", f"/runtime/webhooks/durabletask/instances/{instance_id}/terminate?reason=stop"
    )
    status = client.wait(instance_id)

    assert reply.status == 202
    assert (status["runtimeStatus"], status["output"]) == ("Terminated", "stop")
    assert client.raise_event(instance_id, "go", 1).status == 410


def test_custom_status_follows_the_orchestrator(client: HostClient) -> None:
    instance_id = client.start("status_then_wait")

    waiting = client.wait_for(instance_id, lambda s: s and s["customStatus"] is not None)
    client.raise_event(instance_id, "go", 7)
    done = client.wait(instance_id)

    assert waiting["customStatus"] == {"stage": "waiting"}
    assert (done["customStatus"], done["output"]) == ({"stage": "done"}, 7)


def test_a_non_deterministic_orchestrator_fails_with_the_sdk_message(client: HostClient) -> None:
    status = client.wait(client.start("nondeterministic"))

    assert status["runtimeStatus"] == "Failed"
    assert "Non-Deterministic" in status["output"] or "non-determin" in status["output"].lower()


def test_a_one_hour_timer_fires_at_once_in_virtual_time(virtual_client: HostClient) -> None:
    status = virtual_client.wait(virtual_client.start("approval", 1), timeout=5)

    assert status["output"] == "timed out"
    created, updated = status["createdTime"], status["lastUpdatedTime"]
    assert (int(updated[11:13]) - int(created[11:13])) % 24 == 1
