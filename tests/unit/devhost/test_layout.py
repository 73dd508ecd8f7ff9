"""The dev host's layout: its parts depend on each other one way, no import cycle between its
modules (imports in functions and under TYPE_CHECKING count too), every "spec N.N" the code cites
is a section of devhost/PROTOCOL.md, and the README's module map names every module."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEVHOST = ROOT / "devhost"
SPEC_REFERENCE = re.compile(r"\bspec (?:sections? )?(\d+(?:\.\d+)?)")
HEADING = re.compile(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", re.M)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(DEVHOST.rglob("*.py"))}


def imported(path: Path, known: Iterable[str]) -> set[str]:
    """The devhost modules ``path`` imports; ``from package import module`` names the module."""
    names = set(known)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if submodule in names:
                    found.add(submodule)
                elif node.module in names:
                    found.add(node.module)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_dev_host_has_no_import_cycle() -> None:
    known = modules()
    graph = {name: imported(path, known) - {name} for name, path in known.items()}

    assert find_cycle(graph) is None


# Which parts each part may import (the composition root, server.py, may import them all).
ALLOWED = {
    "functions": set(),
    "durable": {"functions"},
    "management": {"durable", "functions"},
    "events": {"functions", "durable", "services"},
    "services": {"functions", "durable"},
    "dashboard": {"events", "management", "services"},
}


def part(module: str) -> str:
    """``devhost.durable.episode.run`` -> ``durable``; ``devhost.services`` -> ``services``."""
    return module.split(".")[1] if "." in module else module


def test_the_parts_depend_on_each_other_one_way_only() -> None:
    known = modules()
    used = {
        (part(name), part(target))
        for name, path in known.items()
        if part(name) in ALLOWED
        for target in imported(path, known)
        if part(target) != part(name)
    }

    assert {(a, b) for a, b in used if b not in ALLOWED[a]} == set()


def test_the_cycle_check_finds_a_cycle_through_a_type_checking_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import b\n"
    )
    (tmp_path / "b.py").write_text("def late():\n    from c import x\n")
    (tmp_path / "c.py").write_text("from a import y\n")
    known = ["a", "b", "c"]
    graph = {name: imported(tmp_path / f"{name}.py", known) for name in known}

    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_every_spec_section_the_code_cites_is_in_protocol_md() -> None:
    sections = set(HEADING.findall((DEVHOST / "PROTOCOL.md").read_text()))
    files = [*DEVHOST.rglob("*.py"), DEVHOST / "README.md", *(ROOT / "tests").rglob("*.py")]
    cited = {(path.name, ref) for path in files for ref in SPEC_REFERENCE.findall(path.read_text())}

    assert cited, "the scan found no reference at all"
    assert {(name, ref) for name, ref in cited if ref not in sections} == set()


def map_entry(path: Path) -> str:
    """How the README's module map names a module: ``durable/engine.py``, or ``durable/`` for a
    package's ``__init__.py``."""
    relative = path.relative_to(DEVHOST)
    return f"{relative.parent}/" if relative.name == "__init__.py" else str(relative)


def test_the_readme_module_map_names_every_module() -> None:
    readme = (DEVHOST / "README.md").read_text()
    entries = [map_entry(path) for path in DEVHOST.rglob("*.py") if path.parent != DEVHOST]
    entries += [path.name for path in DEVHOST.glob("*.py")]

    assert [entry for entry in entries if f"`{entry}`" not in readme] == []
