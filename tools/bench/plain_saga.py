"""The saga's steps without the runner's durable timers and retry rounds: the same stages, the same
activity inputs, the same compensation rule. The peer engine and the no-durability floor both
run it; a driver sends each yielded batch of branches and gets their outcomes back."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from orchestrators import parallel, sequential
from orchestrators.branches import Branch, Outcome, should_undo
from orchestrators.runner import StageBuilder

STAGES: dict[str, list[StageBuilder]] = {
    "sequential": sequential.STAGES,
    "parallel": parallel.STAGES,
}
Steps = Generator[list[Branch], list[Outcome], str]


def saga_steps(kind: str, request: dict[str, Any]) -> Steps:
    """Yield each stage's branches (run together), then the compensations: newest first one at a
    time for the sequential saga, all at once for the parallel one. Returns the saga status."""
    order, facts = request["order"], dict[str, Any]()
    settled: list[tuple[Branch, Outcome]] = []
    for build in STAGES[kind]:
        branches = build({**order, **facts})
        outcomes = yield branches
        settled += zip(branches, outcomes, strict=True)
        for outcome in outcomes:
            facts.update(outcome.get("facts", {}) if outcome["ok"] else {})
        if not all(outcome["ok"] for outcome in outcomes):
            break
    else:
        return "completed"
    undo = [b.undo for b, outcome in reversed(settled) if b.undo and should_undo(outcome)]
    for batch in [undo] if kind == "parallel" else [[u] for u in undo]:
        outcomes = yield batch
        if not all(outcome["ok"] for outcome in outcomes):
            return "compensation_failed"
    return "compensated"


def run_plain(kind: str, request: dict[str, Any], call: Callable[[Branch], Outcome]) -> str:
    """The floor: every step a plain function call, one after another, nothing recorded."""
    steps = saga_steps(kind, request)
    try:
        batch = next(steps)
        while True:
            batch = steps.send([call(branch) for branch in batch])
    except StopIteration as done:
        return str(done.value)
