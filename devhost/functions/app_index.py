"""Load the function app and index its functions once, as the Python worker does: orchestrators,
activities and entities by their durable names, HTTP functions, and other triggers for background
services. Anything the host cannot run fails here, naming the function."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import azure.functions as func

SUPPORTED_TRIGGERS = {
    "httpTrigger",
    "orchestrationTrigger",
    "activityTrigger",
    "entityTrigger",
    "eventHubTrigger",
    "timerTrigger",
}
SUPPORTED_BINDINGS = {"durableClient", "http", "eventHub"}


class AppIndexError(Exception):
    """The app cannot be hosted; the message names the function and the reason."""


@dataclass(frozen=True)
class IndexedFunction:
    """One function: name, trigger, bindings (function.json dicts) and the callable to invoke."""

    name: str
    trigger_type: str
    trigger: dict[str, Any]
    bindings: tuple[dict[str, Any], ...]
    user_function: Callable[..., Any]
    function: Any  # azure.functions Function, for anything not copied here

    @property
    def trigger_param(self) -> str:
        return str(self.trigger["name"])


@dataclass
class FunctionIndex:
    """Every function by name, plus the lookups the host needs."""

    functions: dict[str, IndexedFunction] = field(default_factory=dict)
    orchestrators: dict[str, IndexedFunction] = field(default_factory=dict)
    activities: dict[str, IndexedFunction] = field(default_factory=dict)
    # Functions the host found it cannot run when it started (a setting unset, say): name -> why.
    errors: dict[str, str] = field(default_factory=dict)
    # Entity names are case-insensitive: the extension lowercases them in every entity id.
    entities: dict[str, IndexedFunction] = field(default_factory=dict)

    def by_trigger(self, trigger_type: str) -> list[IndexedFunction]:
        return [f for f in self.functions.values() if f.trigger_type == trigger_type]

    def add(self, indexed: IndexedFunction) -> None:
        self.functions[indexed.name] = indexed
        if indexed.trigger_type == "orchestrationTrigger":
            self.orchestrators[indexed.trigger.get("orchestration") or indexed.name] = indexed
        elif indexed.trigger_type == "activityTrigger":
            self.activities[indexed.trigger.get("activity") or indexed.name] = indexed
            # call_activity(<decorated function>) resolves the Python __name__ (spec 1.4).
            python_name = getattr(indexed.user_function, "__name__", indexed.name)
            self.activities.setdefault(python_name, indexed)
        elif indexed.trigger_type == "entityTrigger":
            self.entities[(indexed.trigger.get("entityName") or indexed.name).lower()] = indexed


def load_app(spec: str, app_dir: Path) -> func.FunctionRegister:
    """Import ``module[:attribute]`` with ``app_dir`` on sys.path; without an attribute, find the
    module's single FunctionRegister (DFApp or FunctionApp)."""
    module_name, _, attribute = spec.partition(":")
    if str(app_dir) not in sys.path:
        sys.path.insert(0, str(app_dir))
    module = importlib.import_module(module_name)
    if attribute:
        app = getattr(module, attribute, None)
        if not isinstance(app, func.FunctionRegister):
            raise AppIndexError(f"{spec}: not a FunctionApp/DFApp instance")
        return app
    apps = [v for v in vars(module).values() if isinstance(v, func.FunctionRegister)]
    if len(apps) != 1:
        raise AppIndexError(f"{module_name}: expected exactly one function app, found {len(apps)}")
    return apps[0]


# get_functions() may be called only once per app (a second call raises), so hosts created in
# one process (tests) share the index of an app object.
_INDEXES: dict[int, tuple[func.FunctionRegister, FunctionIndex]] = {}


def build_index(app: func.FunctionRegister) -> FunctionIndex:
    """Index the app's functions; ``get_functions()`` is called once per app object."""
    if id(app) not in _INDEXES:
        _INDEXES[id(app)] = (app, _index_app(app))
    return _INDEXES[id(app)][1]


def _index_app(app: func.FunctionRegister) -> FunctionIndex:
    try:
        functions = app.get_functions()
    except ValueError as error:
        raise AppIndexError(f"indexing failed: {error}") from error
    index = FunctionIndex()
    for function in functions:
        index.add(_index_function(function))
    return index


def _index_function(function: Any) -> IndexedFunction:
    name = function.get_function_name()
    bindings = tuple(json.loads(function.get_function_json())["bindings"])
    trigger_type = function.get_trigger().get_binding_name()
    if trigger_type not in SUPPORTED_TRIGGERS:
        raise AppIndexError(f"function {name!r}: trigger {trigger_type!r} is not supported")
    for binding in bindings:
        kind = binding["type"]
        if kind != trigger_type and kind not in SUPPORTED_BINDINGS:
            raise AppIndexError(f"function {name!r}: binding {kind!r} is not supported")
    trigger = next(b for b in bindings if b["type"] == trigger_type)
    return IndexedFunction(
        name, trigger_type, trigger, bindings, function.get_user_function(), function
    )
