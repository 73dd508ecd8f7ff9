"""Pytest helpers for the replay check: keep an instance's recorded history as a fixture file
(``export_history``) and assert that the current code still replays it (``assert_replays``)."""

from __future__ import annotations

from pathlib import Path

import azure.functions as func

from devhost.durable.replay import AGREES, Recorded, check, recorded_in, replay_index
from devhost.durable.store import Store


def export_history(state: str | Path, instance_id: str, fixture: str | Path) -> None:
    """Write the instance's history, from a dev host state file, to ``fixture`` (JSON)."""
    if not Path(state).is_file():
        raise FileNotFoundError(f"no state file at {state}")
    store = Store(state)
    try:
        found = recorded_in(store, instance_id)
    finally:
        store.close()
    if not found:
        raise KeyError(f"no instance {instance_id!r} in {state}")
    Path(fixture).write_text(found[0].to_fixture())


def assert_replays(
    app: str | func.FunctionRegister, history_file: str | Path, app_dir: str | Path = "."
) -> None:
    """Fail (AssertionError naming the first differing action) unless the app's orchestrator,
    replayed on the recorded history, takes the recorded actions again."""
    index = replay_index(app, Path(app_dir).resolve())
    verdict = check(index, Recorded.from_fixture(Path(history_file)))
    assert verdict.outcome == AGREES, f"{history_file}: {verdict.line()}"
