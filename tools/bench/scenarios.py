"""Entry points run in child processes (``isolate.run_isolated``): each sets up its own temp
SQLite files, measures one thing and returns plain JSON data."""

from __future__ import annotations

import json
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from adapters.sqlite import SqliteStore
from devhost.durable.history import ORCHESTRATOR_STARTED
from devhost.durable.store import Store
from orchestrators.branches import Branch, Outcome
from tools.bench import host_engine
from tools.bench.load import Progress, Run, in_threads
from tools.bench.plain_saga import run_plain
from tools.bench.workload import SagaStart, activity_functions, install, saga


def drive_floor(
    starts: list[SagaStart], concurrency: int, workdir: Path, progress: Progress
) -> Run:
    """The same steps as plain function calls: no history, no replay, no engine."""
    activities = activity_functions()
    inputs = [start.input for start in starts]

    def call(branch: Branch) -> Outcome:
        return activities[branch.activity](branch.input)

    def one(number: int) -> str:
        return run_plain(starts[number].kind, inputs[number], call)

    return in_threads(len(starts), concurrency, one, progress)


def throughput(
    engine: str, kind: str, n: int, concurrency: int, workdir: str, progress: Progress
) -> dict[str, Any]:
    """``n`` happy-path sagas of ``kind`` on ``engine`` at ``concurrency``, store on SQLite."""
    drivers = {"devhost": host_engine.drive, "floor": drive_floor}
    driver = _peer().drive if engine == "durabletask" else drivers[engine]
    folder = Path(workdir)
    store = install(SqliteStore(str(folder / "saga.db")))
    starts = [saga(kind, number) for number in range(n)]
    run = driver(starts, concurrency, folder, progress)
    run.store_calls = store.total
    return run.to_dict()


def scaling(
    engine: str, widths: list[int], repeats: int, workdir: str, progress: Progress
) -> dict[str, Any]:
    """One parallel saga at a time, ``repeats`` times per fan-out width."""
    host = _peer().blocking_peer if engine == "durabletask" else host_engine.blocking_host
    store = install(SqliteStore(str(Path(workdir) / "saga.db")))
    runs: dict[str, list[dict[str, Any]]] = {}
    with host(Path(workdir)) as run_saga:
        for number, width in enumerate(w for w in widths for _ in range(repeats)):
            store.reset()
            wall, cpu = time.perf_counter(), time.process_time()
            output = run_saga(saga("parallel", number, width=width))
            runs.setdefault(str(width), []).append(
                {
                    "wall_s": time.perf_counter() - wall,
                    "cpu_s": time.process_time() - cpu,
                    "store_calls": store.total,
                    "status": output["status"],
                }
            )
            progress(number + 1)
    if engine == "devhost":
        _count_episodes(runs, Path(workdir), widths, repeats)
    return {"runs": runs}


def _count_episodes(
    runs: dict[str, list[dict[str, Any]]], workdir: Path, widths: list[int], repeats: int
) -> None:
    """Add how many episodes (replays) each saga took, read from the host's durable history."""
    state = Store(workdir / "state.db")
    try:
        for number, width in enumerate(w for w in widths for _ in range(repeats)):
            events = state.history(saga("parallel", number, width=width).instance_id)
            started = sum(
                json.loads(event)["EventType"] == ORCHESTRATOR_STARTED for event in events
            )
            runs[str(width)][number % repeats]["episodes"] = started
    finally:
        state.close()


def _peer() -> ModuleType:
    """The peer's module, imported only in the processes that run it: it loads gRPC, which
    would add to the other engines' memory figures."""
    from tools.bench import peer_engine

    return peer_engine
