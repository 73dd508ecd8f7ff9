"""The peer: Microsoft's durabletask-python SDK with its in-process, in-memory backend
(``durabletask.testing``: a gRPC sidecar served from this process, a ``TaskHubGrpcWorker`` and a
``TaskHubGrpcClient`` connected to it). It runs the same steps (``plain_saga``) through the same
activity functions against the same SQLite store; its own state is kept in memory only."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.bench.load import Progress, Run, in_threads
from tools.bench.plain_saga import SAGAS, saga_steps
from tools.bench.workload import SagaStart, activity_functions

os.environ.setdefault("GRPC_VERBOSITY", "ERROR")  # gRPC core logs each connection at shutdown

from durabletask import task
from durabletask.client import TaskHubGrpcClient
from durabletask.testing import create_test_backend
from durabletask.worker import TaskHubGrpcWorker

from triggers.sagas import KINDS

# The SDK logs every orchestration step at INFO (the dev host logs nothing in the bench either),
# and a warning for each work-item stream it closes at shutdown.
_QUIET = logging.getLogger("bench.peer")
_QUIET.setLevel(logging.ERROR)
WAIT_SECONDS = 300


def drive(starts: list[SagaStart], concurrency: int, workdir: Path, progress: Progress) -> Run:
    """Run every start at ``concurrency`` (one client thread each) on a fresh peer engine."""
    with blocking_peer(workdir) as run_saga:
        return in_threads(
            len(starts), concurrency, lambda n: run_saga(starts[n])["status"], progress
        )


@contextmanager
def blocking_peer(workdir: Path) -> Iterator[Callable[[SagaStart], dict[str, Any]]]:
    """A fresh peer engine and a function that runs one saga on it to its end (thread-safe).
    Its state is in memory: ``workdir`` is unused."""
    with peer_client() as client:

        def run_saga(start: SagaStart) -> dict[str, Any]:
            client.schedule_new_orchestration(
                start.orchestrator, input=start.input, instance_id=start.instance_id
            )
            state = client.wait_for_orchestration_completion(
                start.instance_id, timeout=WAIT_SECONDS
            )
            if state is None or state.serialized_output is None:
                return {"status": "orchestration failed"}
            return {"status": str(json.loads(state.serialized_output))}

        yield run_saga


@contextmanager
def peer_client() -> Iterator[TaskHubGrpcClient]:
    """A started backend and worker (both sagas, every activity) and a client connected to them."""
    port = _free_port()
    backend = create_test_backend(port=port)
    worker = TaskHubGrpcWorker(host_address=f"localhost:{port}", logger=_QUIET)
    for kind in SAGAS:
        worker.add_orchestrator(_orchestrator(kind))
    for name, function in activity_functions().items():
        worker.add_activity(_activity(name, function))
    worker.start()
    try:
        yield TaskHubGrpcClient(host_address=f"localhost:{port}", logger=_QUIET)
    finally:
        worker.stop()
        backend.stop()


def _orchestrator(kind: str) -> task.Orchestrator[Any, Any]:
    def orchestrate(
        ctx: task.OrchestrationContext, request: Any
    ) -> Generator[task.Task[Any], Any, str]:
        steps = saga_steps(kind, request)
        try:
            batch = next(steps)
            while True:
                calls: list[task.Task[Any]] = [
                    ctx.call_activity(b.activity, input=b.input) for b in batch
                ]
                batch = steps.send((yield task.when_all(calls)))
        except StopIteration as done:
            return str(done.value)

    orchestrate.__name__ = KINDS[kind].orchestrator  # the name the worker registers it under
    return orchestrate


def _activity(name: str, function: Callable[[Any], Any]) -> Callable[[Any, Any], Any]:
    def activity(ctx: Any, payload: Any) -> Any:
        return function(payload)

    activity.__name__ = name
    return activity


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
