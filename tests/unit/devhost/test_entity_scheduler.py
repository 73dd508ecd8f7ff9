"""The entity scheduler on its own, with the real SDK entity handler and SQLite in memory:
batches of at most the configured size, run one after the other in queue order, and each call
answered to its caller in the transaction that removes the request."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.durable_functions as df

from devhost.durable.clock import Clock
from devhost.durable.entities import messages
from devhost.durable.entities.scheduler import EntityScheduler
from devhost.durable.instance_state import Ready
from devhost.durable.store import Store, Transaction
from devhost.functions.app_index import FunctionIndex, build_index
from devhost.functions.invoker import FunctionInvoker

app = df.DFApp()


@app.entity_trigger(context_name="context", entity_name="Log")
def log_entity(context: df.DurableEntityContext) -> None:
    """Appends each operation's input to its state and answers the new length."""
    context.set_state([*context.get_state(list), context.get_input()])
    context.set_result(len(context.get_state()))


def request(value: str, parent: str | None = None) -> messages.Request:
    message = messages.request("append", json.dumps(json.dumps(value)), parent is None, parent)
    return {**message, "parentExecution": "e1"} if parent else message


async def drain(requests: list[messages.Request], batch_size: int) -> dict[str, Any]:
    """Queue the requests for @log@k and run the scheduler until the queue is empty; returns
    the state, the size of each batch the entity function got, and what was posted."""
    store, sizes, posted = Store(":memory:"), [], []
    entity = build_index(app).entities["log"]

    def counting_handler(context: Any) -> Any:
        sizes.append(len(json.loads(context.body)["batch"]))
        return entity.user_function(context)

    def post(tx: Transaction, instance_id: str, execution_id: str, ready: Ready) -> None:
        posted.append((instance_id, execution_id, json.loads(ready.event["Input"])))

    index = FunctionIndex()
    index.add(dataclasses.replace(entity, user_function=counting_handler))
    with ThreadPoolExecutor(2) as pool:
        invoker = FunctionInvoker(index, pool, Path("."))
        scheduler = EntityScheduler(index, store, Clock(), invoker, post)
        scheduler.batch_size = batch_size
        with store.transaction() as tx:
            tx.enqueue(("@log@k", json.dumps(r)) for r in requests)
        scheduler.kick(["@log@k"])
        while store.entities_with_queued():
            await asyncio.sleep(0.01)
        await scheduler.stop()
    row = store.entity("@log@k")
    return {
        "state": json.loads(row.state or "null") if row else None,
        "sizes": sizes,
        "posted": posted,
    }


def test_operations_run_in_queue_order_in_batches_of_at_most_the_batch_size() -> None:
    values = [str(n) for n in range(5)]

    outcome = asyncio.run(drain([request(v) for v in values], batch_size=2))

    assert (outcome["state"], outcome["sizes"]) == (values, [2, 2, 1])
    assert outcome["posted"] == []  # signals only: nobody to answer


def test_each_call_is_answered_to_its_caller_with_the_operation_result() -> None:
    requests = [request("a"), request("b", parent="i1"), request("c")]

    outcome = asyncio.run(drain(requests, batch_size=50))

    assert outcome["sizes"] == [3]
    assert outcome["posted"] == [("i1", "e1", {"result": "2"})]
