"""Indexing the app: durable names, HTTP routes, and loud failures for what cannot be hosted."""

from __future__ import annotations

import ast
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func
import pytest

from devhost.functions import host_config
from devhost.functions.app_index import AppIndexError, build_index, load_app
from tests.devhost_apps.inprocess import APPS_DIR

DEVHOST = Path(__file__).resolve().parents[3] / "devhost"
APP_PACKAGES = {"saga", "orchestrators", "activities", "triggers", "adapters", "function_app"}


def test_durable_functions_are_found_by_registry_and_python_name() -> None:
    app = df.DFApp()

    @app.function_name("renamed_activity")
    @app.activity_trigger(input_name="x")
    def plain_name(x: int) -> int:
        return x

    @app.orchestration_trigger(context_name="context", orchestration="RenamedOrch")
    def orch(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
        yield context.call_activity("renamed_activity", 1)

    index = build_index(app)

    assert set(index.orchestrators) == {"RenamedOrch"}
    assert index.activities["renamed_activity"] is index.activities["plain_name"]


def test_the_app_object_is_found_by_attribute_or_by_scanning_the_module() -> None:
    named = load_app("durable_app:app", APPS_DIR)

    assert load_app("durable_app", APPS_DIR) is named
    with pytest.raises(AppIndexError, match="not a FunctionApp"):
        load_app("durable_app:fail", APPS_DIR)


def test_entities_are_indexed_by_lowercased_entity_name_or_function_name() -> None:
    app = df.DFApp()

    @app.entity_trigger(context_name="context", entity_name="Counter")
    def counter_entity(context: df.DurableEntityContext) -> None:
        return None

    @app.entity_trigger(context_name="context")
    def ShoppingCart(context: df.DurableEntityContext) -> None:
        return None

    index = build_index(app)

    assert {name: f.name for name, f in index.entities.items()} == {
        "counter": "counter_entity",
        "shoppingcart": "ShoppingCart",
    }


def test_an_unsupported_trigger_fails_naming_the_function() -> None:
    app = func.FunctionApp()

    @app.queue_trigger(arg_name="message", queue_name="orders", connection="Storage")
    def on_order(message: func.QueueMessage) -> None:
        return None

    with pytest.raises(AppIndexError, match="'on_order': trigger 'queueTrigger'"):
        build_index(app)


def test_an_unsupported_binding_fails_naming_the_function() -> None:
    app = func.FunctionApp()

    @app.route(route="x")
    @app.blob_input(arg_name="blob", path="c/b", connection="X")
    def reads_blob(req: func.HttpRequest, blob: str) -> str:
        return blob

    with pytest.raises(AppIndexError, match="'reads_blob': binding 'blob'"):
        build_index(app)


def test_duplicate_function_names_are_an_indexing_error() -> None:
    app = func.FunctionApp()

    for _ in range(2):

        @app.function_name("twice")
        @app.route(route="twice")
        def handler(req: func.HttpRequest) -> str:
            return "x"

    with pytest.raises(AppIndexError, match="indexing failed"):
        build_index(app)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "module", sorted(DEVHOST.rglob("*.py")), ids=lambda p: str(p.relative_to(DEVHOST))
)
def test_the_dev_host_imports_nothing_from_the_app(module: Path) -> None:
    assert imported_modules(module).isdisjoint(APP_PACKAGES)


def test_the_entity_batch_size_comes_from_host_json_and_a_bad_one_fails_the_start() -> None:
    def durable(**settings: object) -> dict[str, object]:
        return {"extensions": {"durableTask": settings}}

    assert host_config.entity_batch_size({}) == 50
    assert host_config.entity_batch_size(durable(maxEntityOperationBatchSize=5)) == 5
    for bad in (0, "10", True):
        with pytest.raises(AppIndexError, match="maxEntityOperationBatchSize"):
            host_config.entity_batch_size(durable(maxEntityOperationBatchSize=bad))
