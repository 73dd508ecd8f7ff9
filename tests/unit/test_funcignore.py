""".funcignore: `func azure functionapp publish` ships the app and nothing else (no tests, dev host,
local secrets or caches), and never drops a module the app imports."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = {
    "function_app.py",
    "orchestrators",
    "activities",
    "triggers",
    "saga",
    "adapters",
    "config.py",
    "composition.py",
    "observability.py",
    "host.json",
    "requirements.txt",
}
EXCLUDED_DIRS = {
    ".git", ".vscode", ".venv", ".venv-worker", ".ci", ".devhost", ".azurite", ".hypothesis",
    "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "__blobstorage__",
    "__queuestorage__", "node_modules", "tests", "devhost", "docs", "tools", "infra",
}  # fmt: skip
EXCLUDED_FILES = {
    ".gitignore", ".funcignore", "local.settings.json", "local.settings.json.example", "saga.db",
    "saga.db-wal", "__azurite_db_blob__.json", "Makefile", "pyproject.toml",
    "requirements-dev.txt", "README.md",
}  # fmt: skip


def patterns() -> list[str]:
    lines = (ROOT / ".funcignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def excluded(name: str, is_dir: bool) -> bool:
    """Top-level match as gitignore does it: a trailing slash makes a pattern match folders only."""
    return any(
        fnmatch(name, pattern.rstrip("/"))
        for pattern in patterns()
        if is_dir or not pattern.endswith("/")
    )


@pytest.mark.parametrize("name", sorted(DEPLOYED))
def test_app_code_and_host_config_are_deployed(name: str) -> None:
    assert not excluded(name, is_dir="." not in name)


@pytest.mark.parametrize("name", sorted(EXCLUDED_DIRS))
def test_local_tooling_folders_are_not_deployed(name: str) -> None:
    assert excluded(name, is_dir=True)


@pytest.mark.parametrize("name", sorted(EXCLUDED_FILES))
def test_local_files_and_secrets_are_not_deployed(name: str) -> None:
    assert excluded(name, is_dir=False)


def test_a_folder_only_pattern_does_not_hide_a_file_of_that_name() -> None:
    assert "tests/" in patterns()
    assert not excluded("tests", is_dir=False)


def test_every_top_level_entry_is_either_deployed_or_excluded() -> None:
    unclassified = [
        entry.name
        for entry in ROOT.iterdir()
        if entry.name not in DEPLOYED and not excluded(entry.name, entry.is_dir())
    ]
    assert unclassified == [], "add each to .funcignore, or to DEPLOYED if the app imports it"
