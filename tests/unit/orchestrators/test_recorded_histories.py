"""Histories recorded with `make run` (exported with `python -m devhost export`) still replay on
the sagas as they are now: a change that would break instances already running fails here. When a
change is meant to alter the steps, record the fixture again (devhost/README.md, Replay check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devhost.testing.replay import assert_replays

ROOT = Path(__file__).resolve().parents[3]
HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_there_are_recorded_histories_to_check() -> None:
    assert {path.stem for path in HISTORIES} >= {"sequential-123", "parallel-456"}


@pytest.mark.parametrize("history", HISTORIES, ids=[path.stem for path in HISTORIES])
def test_the_saga_still_takes_the_recorded_steps(history: Path) -> None:
    assert_replays("function_app:app", history, app_dir=ROOT)
