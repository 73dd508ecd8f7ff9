"""The composition root builds the store lazily, once, from the environment; tests inject one."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import composition
from adapters.sqlite import SqliteStore
from config import Settings
from saga.inventory import get_item
from saga.seed import DEFAULT_SKU
from tests.fakes import InMemoryStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("SAGA_STORE", "sqlite")
    monkeypatch.setenv("SAGA_SQLITE_PATH", str(tmp_path / "saga.db"))
    composition.reset()
    yield
    composition.reset()


def test_importing_the_root_builds_and_connects_nothing() -> None:
    code = (
        "import sys, composition\n"
        "loaded = [m for m in sys.modules if m.startswith(('adapters', 'azure', 'sqlite3'))]\n"
        "assert loaded == [], loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_store_is_built_once_from_the_environment_and_seeded(tmp_path: Path) -> None:
    store = composition.get_store()
    assert isinstance(store, SqliteStore)
    assert composition.get_store() is store
    assert get_item(store, DEFAULT_SKU) is not None
    assert (tmp_path / "saga.db").exists()


def test_demo_data_is_not_seeded_when_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGA_SEED_DEMO_DATA", "false")
    assert get_item(composition.get_store(), DEFAULT_SKU) is None


def test_settings_are_read_once_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAGA_PAYMENT_LIMIT_MINOR", "123")
    settings = composition.get_settings()
    monkeypatch.setenv("SAGA_PAYMENT_LIMIT_MINOR", "456")
    assert composition.get_settings() is settings
    assert settings.saga_payment_limit_minor == 123


def test_an_injected_store_and_settings_are_used_until_reset() -> None:
    fake, settings = InMemoryStore(), Settings(saga_payment_limit_minor=1)
    composition.override(store=fake, settings=settings)
    assert composition.get_store() is fake
    assert composition.get_settings() is settings
    composition.reset()
    assert composition.get_store() is not fake
