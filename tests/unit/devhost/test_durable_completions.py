"""An activity's completion is committed where the activity ran, before it waits to be replayed:
its pending row becomes the completion event (which recovery delivers instead of running the
activity again), and a late completion never writes into an ended or newer execution."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.durable_functions as df
import pytest

from devhost.durable.store import PendingRow, Store
from devhost.functions.app_index import build_index
from devhost.functions.invoker import FunctionInvoker

COMPLETED = json.dumps({"EventType": 5, "TaskScheduledId": 0, "Result": "1"})


@pytest.fixture
def store(tmp_path: Path) -> Store:
    state = Store(tmp_path / "state.db")
    data = json.dumps({"name": "add_one", "input": "0", "execution": "e1"})
    with state.transaction() as tx:
        tx.add_pending([PendingRow("i1", "a0", "activity", None, data)])
    return state


def test_a_recorded_completion_replaces_the_activity_row_with_its_event(store: Store) -> None:
    store.record_completion("i1", "a0", "e1", COMPLETED)

    assert store.pending("i1") == [PendingRow("i1", "a0", "event", None, COMPLETED)]


def test_a_completion_for_an_ended_instance_writes_nothing(store: Store) -> None:
    with store.transaction() as tx:
        tx.clear_pending("i1")

    store.record_completion("i1", "a0", "e1", COMPLETED)

    assert store.pending("i1") == []


def test_a_late_completion_of_an_earlier_execution_leaves_the_new_one_alone(store: Store) -> None:
    store.record_completion("i1", "a0", "e0", COMPLETED)

    assert [row.kind for row in store.pending("i1")] == ["activity"]


def test_completions_recorded_from_many_threads_are_all_committed(store: Store) -> None:
    rows = [
        PendingRow("i2", f"a{n}", "activity", None, json.dumps({"name": "x", "execution": "e"}))
        for n in range(200)
    ]
    with store.transaction() as tx:
        tx.add_pending(rows)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: store.record_completion("i2", f"a{n}", "e", COMPLETED), range(200)))

    assert {row.kind for row in store.pending("i2")} == {"event"}


def settle_threads(function_name: str) -> tuple[Any, str]:
    """Invoke an activity with a settle callback; returns its result and the settling thread."""
    app = df.DFApp()

    @app.activity_trigger(input_name="value")
    def sync_step(value: int) -> int:
        return value + 1

    @app.activity_trigger(input_name="value")
    async def async_step(value: int) -> int:
        return value + 2

    index = build_index(app)

    def settle(value: Any, error: Exception | None) -> tuple[Any, str]:
        return value, threading.current_thread().name

    async def run() -> tuple[Any, str]:
        with ThreadPoolExecutor(1, thread_name_prefix="worker") as pool:
            invoker = FunctionInvoker(index, pool, Path.cwd())
            return await invoker.invoke(function_name, {"value": 1}, settle)

    return asyncio.run(run())


def test_a_sync_activity_settles_in_the_thread_that_ran_it_and_an_async_one_on_the_loop() -> None:
    assert settle_threads("sync_step") == (2, "worker_0")
    assert settle_threads("async_step") == (3, threading.current_thread().name)
