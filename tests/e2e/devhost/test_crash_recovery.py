"""Kill -9 the dev host mid-run and start it again on the same state: every instance resumes,
an activity whose completion was not recorded runs again, and nothing recorded is lost."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from devhost.testing.process import DevHostProcess
from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.conftest import HostFactory


def app_host(factory: HostFactory) -> DevHostProcess:
    return factory(app="durable_app:app", app_dir=APPS_DIR)


def wait_for_file(path: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_a_killed_host_resumes_the_saga_and_reruns_only_the_unrecorded_step(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    host = app_host(devhost_factory)
    (tmp_path / "release1").touch()
    instance_id = host.client.start("crash_saga", {"dir": str(tmp_path), "wait": True})
    wait_for_file(tmp_path / "step2.runs")  # step 1 is recorded, step 2 is running

    host.kill()
    for n in (2, 3, 4):
        (tmp_path / f"release{n}").touch()
    host.start()
    status = host.client.wait(instance_id)

    assert (status["runtimeStatus"], status["output"]) == ("Completed", [1, 2, 3, 4])
    runs = {n: (tmp_path / f"step{n}.runs").read_text().split() for n in (1, 2, 3, 4)}
    assert [len(runs[n]) for n in (1, 2, 3, 4)] == [1, 2, 1, 1]
    assert runs[2][0] != runs[2][1]  # once per process: the re-run happened after the restart


def test_an_accepted_event_and_started_instances_survive_a_kill(
    devhost_factory: HostFactory,
) -> None:
    host = app_host(devhost_factory)
    waiting = host.client.start("status_then_wait", instance_id="waits")
    started = [host.client.start("sequence", n) for n in range(5)]
    assert host.client.raise_event(waiting, "go", "kept").status == 202

    host.restart()

    assert host.client.wait(waiting)["output"] == "kept"
    assert [host.client.wait(i)["output"] for i in started] == [
        [n + 1, n + 2, n + 3] for n in range(5)
    ]


def test_kills_at_arbitrary_moments_lose_nothing(devhost_factory: HostFactory) -> None:
    host = app_host(devhost_factory)
    expected: dict[str, object] = {}
    for delay in (0.0, 0.01, 0.03, 0.06):
        for n in range(3):
            items = list(range(100 * n, 100 * n + 100))
            expected[host.client.start("fan_out", items)] = 2 * sum(items)
            expected[host.client.start("sequence", n)] = [n + 1, n + 2, n + 3]
        time.sleep(delay)  # not a synchronisation: only varies the moment of the kill
        host.restart()

    assert {i: host.client.wait(i)["output"] for i in expected} == expected


def test_a_kill_during_a_wide_fan_out_reruns_at_most_the_activities_in_flight(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    threads = 2  # activities run in the worker threads: at most this many are in flight
    host = devhost_factory(
        app="durable_app:app",
        app_dir=APPS_DIR,
        env={"PYTHON_THREADPOOL_THREAD_COUNT": str(threads)},
    )
    log, width = tmp_path / "items.log", 300
    job = {"log": str(log), "width": width, "seconds": 0.005}
    instance_id = host.client.start("logged_fan_out", job)
    wait_for_lines(log, width // 3)  # a third has run, a third of those may await a replay

    host.kill()
    ran_before_kill = len(log.read_text().split())
    host.start()
    status = host.client.wait(instance_id, timeout=60)

    runs = Counter(log.read_text().split())
    assert (status["runtimeStatus"], status["output"]) == ("Completed", sum(range(width)))
    assert set(runs) == {str(n) for n in range(width)}
    reruns = sum(runs.values()) - width
    assert reruns <= threads, (reruns, ran_before_kill)


def wait_for_lines(path: Path, count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() or len(path.read_text().split()) < count:
        assert time.monotonic() < deadline, f"{path} never reached {count} lines"
        time.sleep(0.005)
