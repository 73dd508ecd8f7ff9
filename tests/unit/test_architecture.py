"""The domain core (saga/) depends on no framework and no outer layer: no azure.*, no adapters, no
host, no Durable code. It is plain Python the adapters and shims plug into."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CORE = sorted(Path(__file__).resolve().parents[2].joinpath("saga").rglob("*.py"))
OUTER_LAYERS = {
    "azure",
    "adapters",
    "activities",
    "orchestrators",
    "triggers",
    "devhost",
    "function_app",
    "composition",
}


def outer_imports(source: str) -> list[str]:
    """Names of the outer-layer modules that ``source`` imports."""
    return [name for name in _all_imports(source) if name.split(".")[0] in OUTER_LAYERS]


def test_the_core_has_modules_to_check() -> None:
    assert {path.name for path in CORE} >= {"ports.py", "inventory.py", "orders.py"}


@pytest.mark.parametrize("path", CORE, ids=lambda path: path.name)
def test_core_modules_import_no_azure_or_outer_layer(path: Path) -> None:
    assert outer_imports(path.read_text()) == []


def test_the_scan_catches_every_import_form() -> None:
    source = (
        "import azure.cosmos\n"
        "from azure import functions\n"
        "import json, adapters.sqlite\n"
        "def late():\n"
        "    from devhost import host\n"
    )
    assert outer_imports(source) == ["azure.cosmos", "azure", "adapters.sqlite", "devhost"]


# Module paths in strings (``--app tests.e2e.x:app``) are imports too.
APP_PATH_IN_TESTS = re.compile(r"\btests(\.\w+)+:\w+")
TOOLS = sorted(Path(__file__).resolve().parents[2].joinpath("tools").rglob("*.py"))


@pytest.mark.parametrize("path", TOOLS, ids=lambda path: str(path.relative_to(path.parents[2])))
def test_tools_import_nothing_from_tests(path: Path) -> None:
    """tools/ (soak, bench) depend on the project, never on the test suite."""
    source = path.read_text()
    imported = [name for name in _all_imports(source) if name.split(".")[0] == "tests"]
    assert imported == [] and APP_PATH_IN_TESTS.search(_string_constants(source)) is None


def _all_imports(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def _string_constants(source: str) -> str:
    strings = [n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant)]
    return " ".join(s for s in strings if isinstance(s, str))


ORCHESTRATORS = sorted(Path(__file__).resolve().parents[2].joinpath("orchestrators").glob("*.py"))
APP_MODULES = {
    "saga",
    "adapters",
    "activities",
    "triggers",
    "composition",
    "config",
    "observability",
    "function_app",
    "tools",
}


@pytest.mark.parametrize("path", ORCHESTRATORS, ids=lambda path: path.name)
def test_the_generic_runner_imports_no_app_module(path: Path) -> None:
    """orchestrators/ is the generic runner (definition, control flow, durable driver): it
    takes a saga's definition and knows nothing of orders."""
    assert [
        name for name in _all_imports(path.read_text()) if name.split(".")[0] in APP_MODULES
    ] == []


def test_the_runner_scan_has_the_runner_to_check() -> None:
    assert {path.name for path in ORCHESTRATORS} >= {"runner.py", "control.py", "definition.py"}
