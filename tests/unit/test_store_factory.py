"""build_store picks the store the settings name, prepares the SQLite folder, and builds a Cosmos
store without touching the network or, for SQLite, importing the Cosmos SDK."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from adapters.cosmos import CosmosStore
from adapters.sqlite import SqliteStore
from adapters.store_factory import build_store
from config import Settings
from saga.containers import LEDGER, ORDERS
from tests.store_contract import order, processed

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_settings_give_a_working_store_in_a_created_folder(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "saga.db"
    store = build_store(Settings(saga_store="sqlite", saga_sqlite_path=str(path)))
    assert isinstance(store, SqliteStore)
    created = store.create(ORDERS, "o1", order("o1"))
    assert store.read(ORDERS, "o1", "o1") == created
    assert path.exists()


def test_ledger_entries_expire_after_the_ledger_ttl_setting(tmp_path: Path) -> None:
    path = tmp_path / "saga.db"
    store = build_store(Settings(saga_sqlite_path=str(path), saga_ledger_ttl_seconds=600))
    store.create(LEDGER, "o1", processed("inventory:o1:OrderCreated"))
    store.create(ORDERS, "o1", order("o1"))
    with sqlite3.connect(path) as raw:
        expiry = dict(raw.execute("SELECT container, expires FROM documents").fetchall())
    assert expiry[ORDERS] is None
    assert expiry[LEDGER] == pytest.approx(time.time() + 600, abs=30)


def test_the_ledger_ttl_defaults_to_eight_days_and_must_be_positive() -> None:
    assert Settings.from_env({}).saga_ledger_ttl_seconds == 8 * 24 * 3600
    with pytest.raises(ValueError, match="SAGA_LEDGER_TTL_SECONDS"):
        Settings.from_env({"SAGA_LEDGER_TTL_SECONDS": "0"})


def test_sqlite_in_memory_needs_no_folder() -> None:
    assert isinstance(build_store(Settings(saga_sqlite_path=":memory:")), SqliteStore)


def test_cosmos_settings_give_a_cosmos_store_that_has_not_connected_yet() -> None:
    # Port 9 on a reserved name: any connection attempt would fail, so building must not try one.
    settings = Settings(saga_store="cosmos", cosmos_endpoint="https://cosmos.invalid:9/")
    assert isinstance(build_store(settings), CosmosStore)


def test_building_a_sqlite_store_does_not_import_the_cosmos_sdk(tmp_path: Path) -> None:
    script = (
        "import sys; from config import Settings; from adapters.store_factory import build_store; "
        f"build_store(Settings(saga_sqlite_path={str(tmp_path / 'x.db')!r})); "
        "assert 'azure.cosmos' not in sys.modules, 'azure.cosmos was imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
