"""The replay check replays recorded histories against the current code, as the engine does: it
passes on the code that recorded them and names the first differing action of a reordered step,
from the command line (``python -m devhost replay``) and from a test
(``devhost.testing.replay``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devhost.__main__ import main
from devhost.testing.replay import assert_replays, export_history
from tests.devhost_apps import replay_app
from tests.devhost_apps.inprocess import APPS_DIR, InProcessHost


@pytest.fixture(scope="module")
def state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state file with one completed checkout ("done") and one still running ("open")."""
    path = tmp_path_factory.mktemp("replay") / "state.db"
    with InProcessHost(path, app="replay_app:app") as host:
        done = host.client.start(replay_app.CHECKOUT, {"order": 1}, instance_id="done")
        running = host.client.start(replay_app.CHECKOUT, {"order": 2}, instance_id="open")
        for instance_id in (done, running):
            host.client.wait_for(instance_id, lambda s: s["customStatus"] == "waiting for ship")
        host.client.raise_event(done, "ship", "shipped")
        assert host.client.wait(done)["runtimeStatus"] == "Completed"
    return path


def replay(state: Path, app: str, *options: str) -> int:
    return main(
        ["replay", "--app", app, "--app-dir", str(APPS_DIR), "--state", str(state), *options]
    )


def test_the_replay_check_passes_on_the_code_that_recorded_the_histories(
    state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(state, "replay_app:app", "--verbose") == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["ok       checkout done (Completed)", "ok       checkout open (Running)"]
    assert lines[2].startswith("replay check passed: 2 instance(s) in ")
    assert lines[2].endswith(": 2 agree, 0 differ, 0 skipped")


def test_the_replay_check_names_the_first_differing_action_of_a_reordered_step(
    state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(state, "replay_app:swapped") == 1

    lines = capsys.readouterr().out.splitlines()
    differs = "at position 0: recorded activity 'reserve', now activity 'charge'"
    assert lines[:2] == [
        f"DIFFERS  checkout done (Completed): {differs}",
        f"DIFFERS  checkout open (Running): {differs}",
    ]
    assert lines[2].startswith("replay check FAILED: ")
    assert lines[2].endswith(": 0 agree, 2 differ, 0 skipped")


def test_a_removed_orchestrator_fails_its_running_instances_and_skips_finished_ones(
    state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(state, "replay_app:without_checkout") == 1

    missing = "the app has no orchestrator named 'checkout'"
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"skipped  checkout done (Completed): {missing}",
        f"DIFFERS  checkout open (Running): {missing}",
    ]


def test_a_missing_state_file_is_said_and_never_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay(tmp_path / "none.db", "replay_app:app") == 2

    assert "no state file at" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("instance_id", ["done", "open"])
def test_an_exported_history_replays_on_the_same_code_and_fails_on_a_reordered_step(
    state: Path, tmp_path: Path, instance_id: str
) -> None:
    fixture = tmp_path / f"{instance_id}.json"
    export_history(state, instance_id, fixture)

    assert_replays(replay_app.app, fixture)
    with pytest.raises(AssertionError, match="recorded activity 'reserve', now activity 'charge'"):
        assert_replays(replay_app.swapped, fixture)


def test_the_export_command_writes_the_fixture_the_helper_reads(
    state: Path, tmp_path: Path
) -> None:
    fixture = tmp_path / "done.json"

    assert main(["export", "done", "--state", str(state), "--out", str(fixture)]) == 0
    assert_replays("replay_app:app", fixture, app_dir=APPS_DIR)
    assert main(["export", "nobody", "--state", str(state)]) == 2
