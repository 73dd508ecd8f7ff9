"""The Durable HTTP management API as the SDK and curl use it (spec section 9)."""

from __future__ import annotations

import json
from typing import Any

from devhost.management.paging import CONTINUATION_HEADER as CONTINUATION
from devhost.testing.client import WEBHOOK, HostClient


def instances(client: HostClient, query: str = "") -> list[dict]:
    reply = client.request("GET", f"{WEBHOOK}/instances/?{query}")
    assert reply.status == 200
    return reply.json()


def test_starting_an_unknown_orchestrator_is_a_400_the_sdk_can_read(client: HostClient) -> None:
    reply = client.request("POST", f"{WEBHOOK}/orchestrators/nope")

    assert reply.status == 400
    assert reply.json()["ExceptionMessage"] == (
        "The function 'nope' doesn't exist, is disabled, or is not an orchestrator function."
    )


def test_the_python_clients_double_encoded_input_shows_as_json_in_the_status(
    client: HostClient,
) -> None:
    instance_id = client.start("sequence", json.dumps(3))  # what DurableOrchestrationClient posts

    assert client.wait(instance_id)["input"] == 3


def test_status_input_output_and_custom_status_are_json_values(client: HostClient) -> None:
    instance_id = client.start("status_then_wait", {"order": {"id": "o-1", "items": [1, 2]}})
    status = client.wait_for(instance_id, lambda s: s and s["customStatus"] is not None)

    client.raise_event(instance_id, "go", {"shipped": True})
    done = client.wait(instance_id)

    assert status["input"] == {"order": {"id": "o-1", "items": [1, 2]}}
    assert status["customStatus"] == {"stage": "waiting"}
    assert (done["output"], done["customStatus"]) == ({"shipped": True}, {"stage": "done"})


def test_status_of_an_unknown_instance_is_404_with_an_empty_body(client: HostClient) -> None:
    reply = client.request("GET", f"{WEBHOOK}/instances/missing")

    assert (reply.status, reply.body) == (404, b"")


def test_a_running_instance_answers_202_with_location_and_a_finished_one_200(
    client: HostClient,
) -> None:
    instance_id = client.start("status_then_wait")
    running = client.request("GET", f"{WEBHOOK}/instances/{instance_id}")
    client.raise_event(instance_id, "go", 1)
    client.wait(instance_id)
    done = client.request("GET", f"{WEBHOOK}/instances/{instance_id}?showInput=false")

    assert running.status == 202 and "Location" in running.headers
    assert done.status == 200 and done.json()["input"] is None


def test_a_failed_instance_can_answer_500_when_asked(client: HostClient) -> None:
    instance_id = client.start("uncaught")
    client.wait(instance_id)

    query = "returnInternalServerErrorOnFailure=true"
    assert client.request("GET", f"{WEBHOOK}/instances/{instance_id}?{query}").status == 500


def test_queries_filter_by_prefix_status_and_creation_time(client: HostClient) -> None:
    for n in range(3):
        client.wait(client.start("sequence", n, instance_id=f"batch-{n}"))
    waiting = client.start("status_then_wait", instance_id="other-1")

    by_prefix = instances(client, "instanceIdPrefix=batch-")
    running = instances(client, "runtimeStatus=Running,Pending")
    since_future = instances(client, "createdTimeFrom=2999-01-01T00:00:00.000000Z")

    assert sorted(s["instanceId"] for s in by_prefix) == ["batch-0", "batch-1", "batch-2"]
    assert [s["instanceId"] for s in running] == [waiting]
    assert since_future == []
    assert len(instances(client, "top=2")) == 2


def test_raise_event_needs_json_and_a_live_instance(client: HostClient) -> None:
    instance_id = client.start("status_then_wait")
    path = f"{WEBHOOK}/instances/{instance_id}/raiseEvent/go"

    assert client.request("POST", path, raw=b"x", content_type="text/plain").status == 400
    assert client.request("POST", f"{WEBHOOK}/instances/nope/raiseEvent/go", 1).status == 404
    assert client.request("POST", path, 5).status == 202
    client.wait(instance_id)
    assert client.request("POST", path, 6).status == 410


def test_suspended_instances_hold_events_until_resumed(client: HostClient) -> None:
    instance_id = client.start("status_then_wait")
    client.wait_for(instance_id, lambda s: s and s["customStatus"])
    base = f"{WEBHOOK}/instances/{instance_id}"

    assert client.request("POST", f"{base}/suspend?reason=pause").status == 202
    client.raise_event(instance_id, "go", "held")
    suspended = client.status(instance_id)
    assert client.request("POST", f"{base}/resume?reason=go").status == 202
    done = client.wait(instance_id)

    assert (suspended["runtimeStatus"], suspended["output"]) == ("Suspended", None)
    assert done["output"] == "held"


def test_rewind_is_left_out_as_by_a_storage_provider_that_cannot_rewind(
    client: HostClient,
) -> None:
    failed = client.start("uncaught")
    client.wait(failed)
    completed = client.start("sequence", 1)
    client.wait(completed)
    links = client.request("POST", f"{WEBHOOK}/orchestrators/sequence", 1).json()

    def rewind(instance_id: str) -> Any:
        return client.request("POST", f"{WEBHOOK}/instances/{instance_id}/rewind?reason=x")

    assert "rewindPostUri" not in links
    assert rewind("missing").status == 404
    assert rewind(completed).status == 410
    refused = rewind(failed)
    assert refused.status == 500
    assert refused.json()["ExceptionType"] == "System.NotImplementedException"
    assert client.status(failed)["runtimeStatus"] == "Failed"


def test_restart_runs_the_same_input_under_a_new_id_or_the_same_one(client: HostClient) -> None:
    instance_id = client.start("sequence", 10)
    client.wait(instance_id)

    fresh = client.request("POST", f"{WEBHOOK}/instances/{instance_id}/restart").json()
    same = client.request(
        "POST", f"{WEBHOOK}/instances/{instance_id}/restart?restartWithNewInstanceId=false"
    ).json()

    assert fresh["id"] != instance_id and same["id"] == instance_id
    assert client.wait(fresh["id"])["output"] == [11, 12, 13]
    assert client.wait(instance_id)["output"] == [11, 12, 13]


def test_purge_by_time_needs_a_start_and_removes_only_finished_instances(
    client: HostClient,
) -> None:
    finished = client.start("sequence", 1)
    client.wait(finished)
    waiting = client.start("status_then_wait")

    missing = client.request("DELETE", f"{WEBHOOK}/instances/")
    purged = client.request("DELETE", f"{WEBHOOK}/instances/?createdTimeFrom=2000-01-01T00:00:00Z")
    again = client.request("DELETE", f"{WEBHOOK}/instances/?createdTimeFrom=2000-01-01T00:00:00Z")

    assert missing.status == 400
    assert (purged.status, purged.json()) == (200, {"instancesDeleted": 1})
    assert again.status == 404
    assert client.status(finished) is None and client.status(waiting) is not None


def test_show_history_is_the_condensed_history_the_durable_http_api_documents(
    client: HostClient,
) -> None:
    instance_id = client.start("sequence", 0)
    client.wait(instance_id)

    plain = client.status(instance_id, showHistory="true")["historyEvents"]
    full = client.status(instance_id, showHistory="True", showHistoryOutput="True")["historyEvents"]

    assert [e["EventType"] for e in plain] == [
        "ExecutionStarted",
        "TaskCompleted",
        "TaskCompleted",
        "TaskCompleted",
        "ExecutionCompleted",
    ]
    assert plain[0]["FunctionName"] == "sequence"
    assert all("Result" not in e for e in plain)
    completed = [e for e in full if e["EventType"] == "TaskCompleted"]
    assert [(e["FunctionName"], e["Result"]) for e in completed] == [
        ("add_one", 1),
        ("add_one", 2),
        ("add_one", 3),
    ]
    assert all(e["ScheduledTime"] <= e["Timestamp"] for e in completed)
    assert full[-1]["OrchestrationStatus"] == "Completed" and full[-1]["Result"] == [1, 2, 3]


def test_a_failed_instance_records_execution_completed_with_the_failure(
    client: HostClient,
) -> None:
    instance_id = client.start("uncaught")
    client.wait(instance_id)

    history = client.status(instance_id, showHistory="true", showHistoryOutput="true")
    events = history["historyEvents"]

    assert [e["EventType"] for e in events][-2:] == ["TaskFailed", "ExecutionCompleted"]
    assert events[-2]["FunctionName"] == "fail" and "boom" in events[-2]["Reason"]
    assert events[-1]["OrchestrationStatus"] == "Failed"
    assert "boom" in events[-1]["Result"]


def page(client: HostClient, query: str, token: str | None = None) -> tuple[list[str], str]:
    url = f"{WEBHOOK}/instances?{query}"
    reply = client.request("GET", url, headers={CONTINUATION: token} if token else {})
    assert reply.status == 200, reply
    return [row["instanceId"] for row in reply.json()], reply.headers.get(CONTINUATION, "")


def test_the_query_pages_with_top_and_the_continuation_token(client: HostClient) -> None:
    ids = [client.start("sequence", 0, instance_id=f"p{n}") for n in range(5)]
    for instance_id in ids:
        client.wait(instance_id)

    first, token = page(client, "top=2")
    second, token2 = page(client, "top=2", token)
    last, end = page(client, "top=2", token2)

    assert first + second + last == ids  # oldest first, as before
    assert token and token2 and end == ""
    newest, _ = page(client, "top=3&newestFirst=true")
    assert newest == ids[::-1][:3]


def test_the_query_filters_by_orchestrator_name(client: HostClient) -> None:
    kept = client.start("sequence", 0)
    client.wait(client.start("uncaught"))

    named, _ = page(client, "name=sequence")

    assert named == [kept]


def test_a_bad_top_or_continuation_token_is_a_400_naming_it(client: HostClient) -> None:
    bad_top = client.request("GET", f"{WEBHOOK}/instances?top=zero")
    bad_token = client.request(
        "GET", f"{WEBHOOK}/instances?top=1", headers={CONTINUATION: "not-a-token"}
    )

    assert bad_top.status == 400 and "top" in bad_top.json()
    assert bad_token.status == 400 and CONTINUATION in bad_token.json()


def test_a_running_instance_id_cannot_be_started_again_but_a_finished_one_can(
    client: HostClient,
) -> None:
    client.start("status_then_wait", instance_id="order-1")
    client.wait_for("order-1", lambda s: s and s["runtimeStatus"] == "Running")

    refused = client.request("POST", f"{WEBHOOK}/orchestrators/sequence/order-1", 1)
    client.raise_event("order-1", "go", 0)
    client.wait("order-1")
    replaced = client.start("sequence", 1, instance_id="order-1")

    assert refused.status == 500  # the extension's catch-all for InvalidOperationException
    assert refused.json()["ExceptionMessage"] == (
        "An Orchestration instance with the status Running already exists."
    )
    assert client.wait(replaced)["output"] == [2, 3, 4]


def test_management_errors_are_shaped_as_the_extension_shapes_them(client: HostClient) -> None:
    bad_start = client.request("POST", f"{WEBHOOK}/orchestrators/sequence", raw=b"{nope")
    instance_id = client.start("status_then_wait")
    not_json = client.request(
        "POST",
        f"{WEBHOOK}/instances/{instance_id}/raiseEvent/go",
        raw=b"1",
        content_type="text/plain",
    )
    bad_event = client.request("POST", f"{WEBHOOK}/instances/{instance_id}/raiseEvent/go", raw=b"{")

    assert bad_start.status == 400
    assert bad_start.json()["Message"] == "Invalid JSON content"
    assert bad_start.json()["ExceptionType"] == "Newtonsoft.Json.JsonReaderException"
    assert (not_json.status, not_json.json()) == (
        400,
        {"Message": "Only application/json request content is supported"},
    )
    assert (bad_event.status, bad_event.json()["Message"]) == (400, "Invalid JSON content")
