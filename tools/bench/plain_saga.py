"""The sagas without the runner's durable timers and retry rounds, for the peer engine and the
no-durability floor: the same control flow (``orchestrators.control.saga_flow``, which the
durable runner drives too) on the same definitions; a driver runs each yielded batch of branches
and sends their outcomes back."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from activities.order_sagas import PARALLEL, SEQUENTIAL
from orchestrators.branches import Branch, Outcome
from orchestrators.control import Progress, outcome, saga_flow

SAGAS = {"sequential": SEQUENTIAL, "parallel": PARALLEL}
Steps = Generator[list[Branch], list[Outcome], str]


def saga_steps(kind: str, request: dict[str, Any]) -> Steps:
    """Yield each batch of branches to run together; returns the saga status."""
    saga, progress = SAGAS[kind], Progress()
    data = request["input"]
    flow = saga_flow(saga, data, progress)
    batch = next(flow, None)
    while batch is not None:
        outcomes = yield batch[1]
        try:
            batch = flow.send(outcomes)
        except StopIteration:
            batch = None
    return str(outcome(saga, data[saga.business_key], progress)["status"])


def run_plain(kind: str, request: dict[str, Any], call: Callable[[Branch], Outcome]) -> str:
    """The floor: every step a plain function call, one after another, nothing recorded."""
    steps = saga_steps(kind, request)
    try:
        batch = next(steps)
        while True:
            batch = steps.send([call(branch) for branch in batch])
    except StopIteration as done:
        return str(done.value)
