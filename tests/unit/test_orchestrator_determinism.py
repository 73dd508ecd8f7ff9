"""Orchestrators must replay identically: no clock, randomness, environment, I/O or logging."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ORCHESTRATORS = sorted(Path(__file__).resolve().parents[2].joinpath("orchestrators").glob("*.py"))
FORBIDDEN_MODULES = {
    "time",
    "random",
    "uuid",
    "os",
    "logging",
    "socket",
    "requests",
    "secrets",
    "composition",
    "config",
    "threading",
    "asyncio",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "open", "print", "getenv", "sleep"}


def _violations(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
            )
            found += [f"imports {n}" for n in names if n.split(".")[0] in FORBIDDEN_MODULES]
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in FORBIDDEN_CALLS:
                found.append(f"calls {name}() on line {node.lineno}")
    return found


@pytest.mark.parametrize("path", ORCHESTRATORS, ids=lambda p: p.name)
def test_orchestrator_modules_use_no_clock_randomness_environment_or_io(path: Path) -> None:
    assert _violations(path) == []


def test_the_scan_catches_a_wall_clock_call(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import datetime\nx = datetime.datetime.now()\n")
    assert _violations(bad) == ["calls now() on line 2"]
