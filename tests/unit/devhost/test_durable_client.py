"""The SDK's own DurableOrchestrationClient, unmodified, against the dev host: starting through
an HTTP function, then following the create_check_status_response links."""

from __future__ import annotations

from devhost.testing.client import HostClient


def start_through_the_app(client: HostClient, name: str, body: object = None) -> dict:
    reply = client.request("POST", f"/api/start/{name}", body)
    assert reply.status == 202
    assert reply.headers["Location"] == reply.json()["statusQueryGetUri"]
    return reply.json()


def test_check_status_links_point_at_this_host_and_report_the_result(client: HostClient) -> None:
    links = start_through_the_app(client, "sequence", 1)

    assert links["statusQueryGetUri"].startswith(client.base_url.replace("127.0.0.1", "127.0.0.1"))
    status = client.wait(links["id"])
    assert client.request("GET", links["statusQueryGetUri"]).json()["output"] == [2, 3, 4]
    assert status["input"] == 1


def test_send_event_uri_delivers_the_event(client: HostClient) -> None:
    links = start_through_the_app(client, "status_then_wait")
    url = links["sendEventPostUri"].replace("{eventName}", "go")

    assert client.request("POST", url, {"n": 1}).status == 202
    assert client.wait(links["id"])["output"] == {"n": 1}


def test_terminate_and_purge_uris_end_and_remove_the_instance(client: HostClient) -> None:
    links = start_through_the_app(client, "status_then_wait")

    terminate = links["terminatePostUri"].replace("{text}", "enough")
    assert client.request("POST", terminate).status == 202
    assert client.wait(links["id"])["output"] == "enough"
    assert client.request("DELETE", links["purgeHistoryDeleteUri"]).json() == {
        "instancesDeleted": 1
    }
    assert client.status(links["id"]) is None


def test_the_client_reads_status_raises_events_terminates_and_purges(client: HostClient) -> None:
    first = start_through_the_app(client, "status_then_wait")["id"]
    second = start_through_the_app(client, "status_then_wait")["id"]
    client.wait_for(first, lambda s: s and s["customStatus"])

    running = client.request("GET", f"/api/client/{first}/status").json()
    client.request("POST", f"/api/client/{first}/raise?event=go", {"ok": True})
    client.request("POST", f"/api/client/{second}/terminate?reason=stop")
    first_done, second_done = client.wait(first), client.wait(second)
    purged = client.request("DELETE", f"/api/client/{first}/purge").json()

    assert running["status"] == "Running" and running["custom"] == {"stage": "waiting"}
    assert running["events"] > 0
    # The Python client serializes event data twice: a dict arrives as its JSON text (Azure too).
    assert first_done["output"] == '{"ok": true}'
    assert (second_done["runtimeStatus"], second_done["output"]) == ("Terminated", "stop")
    assert purged == {"deleted": 1}


def test_starting_through_the_client_with_an_explicit_id_uses_that_id(client: HostClient) -> None:
    reply = client.request("POST", "/api/start/sequence?id=order-7", 0)

    assert reply.json()["id"] == "order-7"
    assert client.wait("order-7")["output"] == [1, 2, 3]
