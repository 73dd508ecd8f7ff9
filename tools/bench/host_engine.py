"""The dev host under load, in this process: the real app indexed by ``DevHost``, orchestration
state in SQLite (WAL) beside the app's SQLite store. Sagas start through ``InstanceControl.start``
(what the management API's start route calls, minus HTTP) and end when the engine finishes them,
so the figures are the host's: replay, SQLite commits, activity dispatch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from devhost.server import DevHost, HostOptions
from tools.bench.load import Progress, Run, in_tasks
from tools.bench.workload import ROOT, SagaStart

# A saga run to its end on a host: start it, wait, return its output ({"status": ...}).
Runner = Callable[[SagaStart], Awaitable[dict[str, Any]]]


def drive(starts: list[SagaStart], concurrency: int, workdir: Path, progress: Progress) -> Run:
    """Run every start at ``concurrency`` on a fresh host whose state lives in ``workdir``."""

    async def main() -> Run:
        async with running_host(workdir) as run_saga:

            async def one(number: int) -> str:
                return str((await run_saga(starts[number]))["status"])

            return await in_tasks(len(starts), concurrency, one, progress)

    return asyncio.run(main())


@asynccontextmanager
async def running_host(workdir: Path) -> AsyncIterator[Runner]:
    """A started host (no background services: Event Hubs and timer triggers play no part in
    the orchestrated sagas) and a function that runs one saga on it."""
    options = HostOptions("function_app:app", "127.0.0.1", 0, workdir / "state.db", "real", ROOT)
    host = DevHost(options, factories=[])
    await host.start()

    async def run_saga(start: SagaStart) -> dict[str, Any]:
        host.control.start(start.orchestrator, start.instance_id, start.input_text)
        await host.engine.wait(start.instance_id)
        row = host.store.instance(start.instance_id)
        if row is None or row.status != "Completed":
            return {"status": f"orchestration {row.status if row else 'missing'}"}
        return dict(json.loads(row.output or "{}"))

    try:
        yield run_saga
    finally:
        await host.stop()


@contextmanager
def blocking_host(workdir: Path) -> Iterator[Callable[[SagaStart], dict[str, Any]]]:
    """``running_host`` for callers without an event loop: each call runs one saga to its end."""
    loop = asyncio.new_event_loop()
    host = running_host(workdir)
    run_saga = loop.run_until_complete(host.__aenter__())
    try:
        yield lambda start: loop.run_until_complete(run_saga(start))
    finally:
        loop.run_until_complete(host.__aexit__(None, None, None))
        loop.close()
