"""HTTP functions through the dev host: route templates, methods, request and response mapping."""

from __future__ import annotations

from devhost.testing.client import HostClient


def test_route_parameters_honour_constraints_and_catch_all(client: HostClient) -> None:
    reply = client.request("GET", "/api/items/42/a/b/c")

    assert reply.status == 200
    assert reply.json() == {"id": "42", "rest": "a/b/c"}


def test_an_optional_parameter_may_be_left_out_and_query_params_arrive(
    client: HostClient,
) -> None:
    named = client.request("GET", "/api/items/widget?q=blue").json()
    bare = client.request("GET", "/api/items").json()

    assert named == {"name": "widget", "q": "blue", "function": "item_by_name"}
    assert bare["name"] is None


def test_a_constraint_that_does_not_match_falls_through_to_the_next_route(
    client: HostClient,
) -> None:
    assert client.request("GET", "/api/items/abc/def").status == 404
    assert client.request("GET", "/api/items/abc").json()["name"] == "abc"


def test_a_method_the_function_does_not_declare_is_not_routed_to_it(client: HostClient) -> None:
    assert client.request("GET", "/api/things").status == 404
    assert client.request("DELETE", "/api/items/1/x").status == 404


def test_the_response_status_headers_and_body_reach_the_caller(client: HostClient) -> None:
    reply = client.request("POST", "/api/things", raw=b"\x00binary", content_type="application/x")

    assert reply.status == 201
    assert reply.headers["X-Created"] == "yes"
    assert reply.body == b"\x00binary"


def test_a_function_that_raises_answers_500_with_an_empty_body_as_the_functions_host(
    client: HostClient,
) -> None:
    reply = client.request("GET", "/api/broken")

    assert (reply.status, reply.body) == (500, b"")
    assert reply.headers["Content-Length"] == "0"


def test_unknown_paths_are_404(client: HostClient) -> None:
    assert client.request("GET", "/api/nothing/here").status == 404
