"""ASP.NET route templates as the Functions host matches them."""

from __future__ import annotations

from devhost.functions.routing import compile_route


def test_plain_parameters_match_one_segment() -> None:
    route = compile_route("saga/{instance_id}/status")

    assert route.match("saga/abc-1/status") == {"instance_id": "abc-1"}
    assert route.match("saga/a/b/status") is None


def test_literals_match_case_insensitively() -> None:
    assert compile_route("Saga/Sequential").match("saga/sequential") == {}


def test_int_constraint_rejects_other_text() -> None:
    route = compile_route("orders/{id:int}")

    assert route.match("orders/12") == {"id": "12"}
    assert route.match("orders/twelve") is None


def test_optional_and_default_parameters_may_be_left_out() -> None:
    assert compile_route("items/{name?}").match("items") == {}
    assert compile_route("page/{n=1}").match("page") == {"n": "1"}
    assert compile_route("page/{n=1}").match("page/3") == {"n": "3"}


def test_catch_all_takes_the_rest_of_the_path() -> None:
    route = compile_route("files/{*path}")

    assert route.match("files/a/b.txt") == {"path": "a/b.txt"}
    assert route.match("files") == {}


def test_literal_segments_outrank_parameters() -> None:
    routes = [compile_route(t) for t in ("saga/{id}", "saga/sequential", "{*any}")]

    ranked = sorted(routes, key=lambda r: r.precedence)

    assert [r.template for r in ranked] == ["saga/sequential", "saga/{id}", "{*any}"]
