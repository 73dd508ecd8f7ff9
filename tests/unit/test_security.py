"""Security rules checked statically and in-process: Cosmos SQL only with parameters (every query
built in the app, scanned), patch filter predicates only from checked conditions, store queries
refuse unsafe field names and treat hostile values as data, secrets stay out of Settings' repr and
out of orchestration inputs."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from adapters.cosmos import CosmosStore
from adapters.cosmos_ops import predicate
from adapters.sqlite import SqliteStore
from composition import policy_from
from config import Settings
from saga.containers import INVENTORY, ORDERS, PARTITION_FIELDS
from saga.operations import Condition, Patch
from triggers.sagas import KINDS
from triggers.validation import ParallelRequest, SequentialRequest

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = ["adapters", "saga", "triggers", "activities", "orchestrators"]
HOSTILE = ["x' OR '1'='1", 'a" OR c.id != "', "1; DROP TABLE documents --", "') OR true --"]
SECRET = "s3cret-value-that-must-not-travel"


def app_modules() -> list[Path]:
    files = [p for folder in APP_CODE for p in (ROOT / folder).rglob("*.py")]
    return files + sorted(ROOT.glob("*.py"))


def mentions_select(node: ast.AST) -> bool:
    return any(
        isinstance(part, ast.Constant) and isinstance(part.value, str) and "SELECT" in part.value
        for part in ast.walk(node)
    )


def sql_built_from_pieces(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """SQL text made from pieces: f-strings, ``+`` or ``%`` with a string, ``str.format``."""
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and mentions_select(node):
            found.append((node, "f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            found += [(node, "operator")] if mentions_select(node) else []
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "format":
            found += [(node, "format")] if mentions_select(node.func) else []
    return found


def test_every_cosmos_query_in_the_app_passes_its_values_as_parameters() -> None:
    calls = []
    for path in app_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "query_items":
                calls.append(node)
                assert any(k.arg == "parameters" for k in node.keywords), f"{path}:{node.lineno}"
    assert calls, "the Cosmos adapter queries somewhere"


def unsafe_sql(source: str) -> list[str]:
    """SQL built from pieces anywhere but as the text of a call that passes ``parameters=``."""
    tree = ast.parse(source)
    parameterised = {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.args
        and any(k.arg == "parameters" for k in node.keywords)
    }
    return [
        f"SQL by {how} at line {getattr(node, 'lineno', '?')}"
        for node, how in sql_built_from_pieces(tree)
        if how != "f-string" or id(node) not in parameterised
    ]


def test_sql_is_built_from_pieces_only_as_the_text_of_a_parameterised_call() -> None:
    for path in app_modules():
        assert unsafe_sql(path.read_text()) == [], path.relative_to(ROOT)


@pytest.mark.parametrize(
    "source",
    [
        'store.query_items("SELECT * FROM c WHERE c.id = " + order_id)',
        'store.query_items("SELECT * FROM c WHERE c.id = %s" % order_id)',
        'store.query_items("SELECT * FROM c WHERE c.id = {}".format(order_id))',
        'store.query_items(f"SELECT * FROM c WHERE c.id = {order_id}")',
    ],
)
def test_the_scan_catches_sql_built_with_values(source: str) -> None:
    assert unsafe_sql(source)
    assert not unsafe_sql('query_items(f"SELECT * FROM c WHERE {where}", parameters=params)')


def test_every_cosmos_filter_predicate_comes_from_the_checked_builder() -> None:
    calls = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "patch_item":
                calls.append(node)
                (given,) = [k.value for k in node.keywords if k.arg == "filter_predicate"]
                assert isinstance(given, ast.Call), f"{path}:{node.lineno}"
                assert getattr(given.func, "id", "") == "predicate", f"{path}:{node.lineno}"
    assert calls, "the Cosmos adapter patches somewhere"


def test_a_filter_predicate_holds_only_plain_names_operators_and_checked_values() -> None:
    where = (Condition("available", ">=", 3), Condition("state", "=", "reserved"))
    text = predicate(Patch("d", incr={"n": 1}, where=where))
    assert text == "from c where c.available >= 3 AND c.state = 'reserved'"


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_predicate_value_is_refused_by_both_stores_before_any_request(
    value: str,
) -> None:
    patch = Patch("d", incr={"n": 1}, where=(Condition("state", "=", value),))
    cosmos = CosmosStore("https://cosmos.invalid:443/", "saga", credential="k")
    for store in (SqliteStore(":memory:"), cosmos):
        with pytest.raises(ValueError, match="plain word"):
            store.patch(INVENTORY, "s", patch)
        with pytest.raises(ValueError, match="plain word"):
            store.batch(INVENTORY, "s", [patch])


class RecordingContainer:
    def __init__(self) -> None:
        self.queries: list[tuple[str, list[dict[str, Any]]]] = []

    def query_items(self, query: str, parameters: list[dict[str, Any]], **_: Any) -> list[Any]:
        self.queries.append((query, parameters))
        return []


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_reaches_cosmos_only_as_a_parameter(value: str) -> None:
    store = CosmosStore("https://cosmos.invalid:443/", "saga", credential="key")
    container = RecordingContainer()
    store._containers = dict.fromkeys(PARTITION_FIELDS, container)
    store.query(ORDERS, {"customer_id": value}, partition=value)
    ((query, parameters),) = container.queries
    assert value not in query
    assert [p["value"] for p in parameters] == [value, value]


@pytest.mark.parametrize("name", ["c.id", "x OR 1=1", "a b", "state--", "id)", ""])
def test_field_names_that_are_not_plain_identifiers_are_refused_by_both_stores(name: str) -> None:
    with pytest.raises(ValueError):
        SqliteStore(":memory:").query(ORDERS, {name: "x"})
    with pytest.raises(ValueError):
        CosmosStore("https://cosmos.invalid:443/", "saga", credential="k").query(ORDERS, {name: 1})


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_is_only_data_to_sqlite(value: str) -> None:
    store = SqliteStore(":memory:")
    store.create(ORDERS, "o1", {"id": "o1", "order_id": "o1", "customer_id": "c"})
    assert store.query(ORDERS, {"customer_id": value}) == []
    assert len(store.query(ORDERS, {})) == 1


def test_settings_do_not_show_their_secrets() -> None:
    settings = Settings(cosmos_key=SECRET, eventhub_connection=f"SharedAccessKey={SECRET}")
    assert SECRET not in repr(settings) and SECRET not in str(settings)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_orchestration_inputs_carry_no_secret_setting(kind: str) -> None:
    settings = Settings(
        cosmos_endpoint="https://cosmos.invalid",
        cosmos_key=SECRET,
        eventhub_connection=f"Endpoint=sb://x/;SharedAccessKey={SECRET}",
    )
    body = {"batch_id" if kind == "parallel" else "order_id": "o-1", "amount": 5}
    model = ParallelRequest if kind == "parallel" else SequentialRequest
    request = model.model_validate({**body, "items": [{"sku": "a", "quantity": 1}]})
    payload = json.dumps(KINDS[kind].orchestration_input(request, policy_from(settings)))
    assert SECRET not in payload
    assert set(json.loads(payload)) == {"input", "policy", "fingerprint"}
