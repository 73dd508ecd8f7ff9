"""The function index as Azure will see it: names, triggers and bindings from get_functions() and
their function.json form; durable names unique; everything the orchestrators call registered."""

from __future__ import annotations

import json
import runpy
import types
import typing
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from activities.order_sagas import SAGAS
from triggers.sagas import KINDS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def functions() -> list[Any]:
    # A private copy of the app: get_functions() may be called only once per app object.
    app = runpy.run_path(str(ROOT / "function_app.py"))["app"]
    return list(app.get_functions())


def by_trigger(functions: list[Any], trigger: str) -> dict[str, Any]:
    return {f.get_function_name(): f for f in functions if f.get_trigger().type == trigger}


def durable_name(function: Any) -> str:
    trigger = function.get_trigger()
    explicit = getattr(trigger, "orchestration", None) or getattr(trigger, "activity", None)
    return str(explicit or function.get_function_name())


def test_function_names_are_unique(functions: list[Any]) -> None:
    names = Counter(f.get_function_name() for f in functions)
    assert [name for name, count in names.items() if count > 1] == []


def test_durable_names_are_unique_across_orchestrators_and_activities(functions: list[Any]) -> None:
    durable = [
        durable_name(f)
        for f in functions
        if f.get_trigger().type in ("orchestrationTrigger", "activityTrigger")
    ]
    assert len(durable) == len(set(durable))


def test_the_orchestrated_saga_api_is_indexed_as_expected(functions: list[Any]) -> None:
    http = {
        name: json.loads(f.get_function_json())
        for name, f in by_trigger(functions, "httpTrigger").items()
    }
    expected = {
        "start_sequential_saga": ("saga/sequential", ["POST"]),
        "start_parallel_saga": ("saga/parallel", ["POST"]),
        "get_saga_status": ("saga/{instance_id}/status", ["GET"]),
    }
    for name, (route, methods) in expected.items():
        trigger = next(b for b in http[name]["bindings"] if b["type"] == "httpTrigger")
        assert (trigger["route"], trigger["methods"]) == (route, methods)
        kinds = {b["type"] for b in http[name]["bindings"]}
        assert {"durableClient", "http"} <= kinds


def test_every_http_trigger_needs_a_function_key(functions: list[Any]) -> None:
    for name, function in by_trigger(functions, "httpTrigger").items():
        trigger = next(
            b
            for b in json.loads(function.get_function_json())["bindings"]
            if b["type"] == "httpTrigger"
        )
        assert trigger["authLevel"] == "FUNCTION", name


def test_every_saga_kind_has_its_orchestrator_registered(functions: list[Any]) -> None:
    orchestrators = {
        durable_name(f) for f in by_trigger(functions, "orchestrationTrigger").values()
    }
    assert {kind.orchestrator for kind in KINDS.values()} <= orchestrators


def test_the_registered_activities_are_exactly_those_the_saga_definitions_declare(
    functions: list[Any],
) -> None:
    registered = {durable_name(f) for f in by_trigger(functions, "activityTrigger").values()}
    declared = {name for saga in SAGAS for name in saga.activities()}
    alerts = {saga.alert for saga in SAGAS if saga.alert}
    assert registered == declared | alerts


def test_the_registered_orchestrators_are_exactly_the_saga_definitions(
    functions: list[Any],
) -> None:
    registered = {durable_name(f) for f in by_trigger(functions, "orchestrationTrigger").values()}
    assert registered == {saga.name for saga in SAGAS}


def test_event_hub_triggers_use_the_documented_connection_setting(functions: list[Any]) -> None:
    for name, function in by_trigger(functions, "eventHubTrigger").items():
        trigger = function.get_trigger()
        assert trigger.connection == "EVENTHUB_CONNECTION", name


def test_the_function_json_form_of_every_binding_is_complete(functions: list[Any]) -> None:
    for function in functions:
        document = json.loads(function.get_function_json())
        assert document["bindings"], function.get_function_name()
        for binding in document["bindings"]:
            assert {"type", "direction", "name"} <= set(binding)


def test_no_binding_is_annotated_with_a_builtin_generic(functions: list[Any]) -> None:
    # The Python worker rejects list[...] / dict[...] on bindings ("invalid non-type annotation"),
    # which only `func start` or `make validate-app` would otherwise reveal.
    for function in functions:
        hints = typing.get_type_hints(function.get_user_function())
        bindings = {binding.name for binding in function.get_bindings()}
        builtin_generics = [
            name
            for name, hint in hints.items()
            if name in bindings and isinstance(hint, types.GenericAlias)
        ]
        assert builtin_generics == [], function.get_function_name()
