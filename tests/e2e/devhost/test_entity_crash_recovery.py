"""Entities across kill -9: the state survives, signals sent after the restart are processed, and
a batch that was running when the host died runs again with its effect counted once."""

from __future__ import annotations

from pathlib import Path

from tests.devhost_apps.counters import read_counter, wait_for_counter
from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.conftest import HostFactory
from tests.e2e.devhost.test_crash_recovery import wait_for_file


def test_entity_state_survives_a_kill_and_signals_after_the_restart_are_processed(
    devhost_factory: HostFactory,
) -> None:
    host = devhost_factory(app="entity_app:app", app_dir=APPS_DIR)
    assert host.client.request("POST", "/api/counters/k/add", 2).status == 202
    wait_for_counter(host.client, "k", 2)

    host.restart()

    assert read_counter(host.client, "k") == {"exists": True, "state": 2}
    assert host.client.request("POST", "/api/counters/k/add", 3).status == 202
    wait_for_counter(host.client, "k", 5)
    instance_id = host.client.start("call_operation", {"key": "k", "op": "get"})
    assert host.client.wait(instance_id)["output"] == {"result": 5}


def test_a_batch_running_when_the_host_is_killed_runs_again_and_counts_once(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    host = devhost_factory(app="entity_app:app", app_dir=APPS_DIR)
    held = {"dir": str(tmp_path), "amount": 10}
    instance_id = host.client.start("call_operation", {"key": "h", "op": "held_add", "input": held})
    wait_for_file(tmp_path / "held_add.runs")  # the operation runs, its batch is not committed

    host.kill()
    (tmp_path / "release").touch()
    host.start()

    assert host.client.wait(instance_id)["output"] == {"result": 10}
    assert read_counter(host.client, "h") == {"exists": True, "state": 10}
    runs = (tmp_path / "held_add.runs").read_text().split()
    assert len(runs) == 2 and runs[0] != runs[1]  # once in each process
