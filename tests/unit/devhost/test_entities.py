"""Durable entities on the dev host, in process: a function-based counter entity signalled and
called by orchestrators (the real SDK's replay) and by the real durable client, its state in the
host's SQLite store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devhost.durable.entities import messages
from devhost.durable.store import Store
from devhost.testing.client import WEBHOOK, HostClient
from tests.devhost_apps.counters import read_counter, wait_for_counter
from tests.devhost_apps.inprocess import InProcessHost

ENTITY_APP = "entity_app:app"


@pytest.fixture
def entities(tmp_path: Path) -> Iterator[HostClient]:
    with InProcessHost(tmp_path / "state.db", app=ENTITY_APP) as running:
        yield running.client


def run(client: HostClient, orchestrator: str, spec: dict[str, Any]) -> Any:
    status = client.wait(client.start(orchestrator, spec))
    assert status["runtimeStatus"] == "Completed", status
    return status["output"]


def signal(client: HostClient, key: str, op: str, value: Any = None) -> None:
    """Through the app's HTTP function, i.e. the SDK's signal_entity."""
    assert client.request("POST", f"/api/counters/{key}/{op}", value).status == 202


def test_an_orchestrators_signals_reach_the_entity_before_its_later_call(
    entities: HostClient,
) -> None:
    assert run(entities, "add_then_get", {"key": "k", "amounts": [1, 2, 3]}) == 6


def test_calls_in_a_task_all_each_return_their_operation_result_in_order(
    entities: HostClient,
) -> None:
    assert run(entities, "call_in_parallel", {"keys": ["a", "b", "a"]}) == [10, 10, 20]


def test_an_operation_that_raises_raises_its_message_in_the_orchestrator(
    entities: HostClient,
) -> None:
    spec = {"key": "k", "op": "fail", "input": "no thanks"}

    assert run(entities, "call_operation", spec) == {"error": "counter k refuses: no thanks"}
    assert run(entities, "call_operation", {"key": "k", "op": "add", "input": 1}) == {"result": 1}


def test_a_call_to_an_entity_no_function_implements_fails_with_the_extensions_message(
    entities: HostClient,
) -> None:
    output = run(entities, "call_operation", {"entity": "Nope", "key": "k", "op": "get"})

    assert output == {
        "error": "The function 'nope' doesn't exist, is disabled, or is not an entity function. "
        "Additional info: The following are the known entity functions: 'counter'."
    }


def test_a_batch_the_sdk_cannot_answer_fails_its_operations_and_keeps_the_state(
    entities: HostClient,
) -> None:
    run(entities, "call_operation", {"key": "k", "op": "add", "input": 4})

    output = run(entities, "call_operation", {"key": "k", "op": "poison"})

    assert output["error"].startswith(
        "Invocation of function 'counter_entity' failed with an exception: TypeError"
    )
    assert read_counter(entities, "k") == {"exists": True, "state": 4}


def test_a_signal_sent_in_the_orchestrators_last_episode_still_reaches_the_entity(
    entities: HostClient,
) -> None:
    assert run(entities, "signal_and_finish", {"key": "k"}) == "sent"

    wait_for_counter(entities, "k", 5)


def test_under_virtual_time_an_entity_call_wins_over_an_hour_long_timer(tmp_path: Path) -> None:
    with InProcessHost(tmp_path / "state.db", virtual=True, app=ENTITY_APP) as running:
        assert run(running.client, "call_or_time_out", {"key": "k"}) == {"result": 1}


def test_the_durable_client_signals_and_reads_an_entity(entities: HostClient) -> None:
    assert read_counter(entities, "c") == {"exists": False, "state": None}

    signal(entities, "c", "add", 7)

    wait_for_counter(entities, "c", 7)


def test_signals_are_processed_one_at_a_time_in_the_order_they_were_sent(
    entities: HostClient,
) -> None:
    route = f"{WEBHOOK}/entities/counter/c?op="
    for op, value in [("add", 5), ("reset", None), *[("add", 1)] * 60]:
        entities.request("POST", route + op, None if value is None else json.dumps(value))

    wait_for_counter(entities, "c", 60)  # 62 operations: more than one batch of 50


def test_destruct_on_exit_deletes_the_entity(entities: HostClient) -> None:
    run(entities, "call_operation", {"key": "k", "op": "add", "input": 1})

    run(entities, "call_operation", {"key": "k", "op": "delete"})

    assert read_counter(entities, "k") == {"exists": False, "state": None}
    assert entities.request("GET", f"{WEBHOOK}/entities/counter/k").status == 404


def test_the_signal_route_answers_400_naming_what_is_wrong(entities: HostClient) -> None:
    cases = {
        f"{WEBHOOK}/entities/nope/k?op=add": "The function 'nope' doesn't exist",
        f"{WEBHOOK}/entities/counter/k": "'op'",
        f"{WEBHOOK}/entities/counter/a%23b?op=add": "Entity keys must not contain",
    }
    for path, message in cases.items():
        reply = entities.request("POST", path, 1)
        assert (reply.status, message in reply.json()["Message"]) == (400, True), path
    bad_json = entities.request("POST", f"{WEBHOOK}/entities/counter/k?op=add", raw=b"{")
    assert (bad_json.status, "Could not parse JSON" in bad_json.json()["Message"]) == (400, True)


def test_curls_default_body_and_the_sdks_json_string_both_reach_the_entity_as_a_number(
    entities: HostClient,
) -> None:
    route = f"{WEBHOOK}/entities/Counter/curl?op=add"
    form = "application/x-www-form-urlencoded"  # what curl -d sends: the input is that text

    assert entities.request("POST", route, raw=b"3", content_type=form).status == 202
    assert entities.request("POST", route, raw=b'"4"').status == 202  # JSON: the SDK's encoding

    wait_for_counter(entities, "curl", 7)


def test_entities_are_listed_by_name_with_their_state_and_paged(entities: HostClient) -> None:
    for key in ("a", "b", "c"):
        run(entities, "call_operation", {"key": key, "op": "add", "input": ord(key)})
    listing = f"{WEBHOOK}/entities/counter?top=2"

    first = entities.request("GET", f"{listing}&fetchState=true")
    token = first.headers["x-ms-continuation-token"]
    rest = entities.request("GET", listing, headers={"x-ms-continuation-token": token})

    assert [(e["entityId"], e["state"]) for e in first.json()] == [
        ({"name": "counter", "key": "a"}, 97),
        ({"name": "counter", "key": "b"}, 98),
    ]
    assert [(e["entityId"]["key"], e["state"]) for e in rest.json()] == [("c", None)]
    assert "x-ms-continuation-token" not in rest.headers
    assert entities.request("GET", f"{WEBHOOK}/entities/other").json() == []


def test_the_listing_filters_on_the_last_operation_time_and_refuses_a_bad_one(
    entities: HostClient,
) -> None:
    run(entities, "call_operation", {"key": "k", "op": "add", "input": 1})

    late = entities.request("GET", f"{WEBHOOK}/entities?lastOperationTimeFrom=2999-01-01T00:00")
    early = entities.request("GET", f"{WEBHOOK}/entities/?lastOperationTimeFrom=2000-01-01")
    bad = entities.request("GET", f"{WEBHOOK}/entities?lastOperationTimeTo=yesterday")

    assert (late.json(), [e["entityId"]["key"] for e in early.json()]) == ([], ["k"])
    assert (bad.status, "'lastOperationTimeTo'" in bad.json()["Message"]) == (400, True)


def test_entity_state_and_queued_operations_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    with InProcessHost(state, app=ENTITY_APP) as first:
        signal(first.client, "k", "add", 2)
        wait_for_counter(first.client, "k", 2)
    queued = messages.request("add", json.dumps(json.dumps(3)), signal=True)
    store = Store(state)
    with store.transaction() as tx:  # queued while no host runs, as after a crash
        tx.enqueue([(messages.entity_id("Counter", "k"), json.dumps(queued))])
    store.close()

    with InProcessHost(state, app=ENTITY_APP) as second:
        wait_for_counter(second.client, "k", 5)
