"""A saga's control flow, apart from how its branches run: stages in order (each stage's
branches together, compensations registered before they run), the first failure stops the
saga, then the compensations (newest first, one at a time, or all at once). The durable runner
and the bench's plain drivers all drive this one generator, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Literal

from orchestrators.branches import Branch, Outcome, should_undo
from orchestrators.definition import SagaDefinition

Phase = Literal["running", "compensating"]
# Yields (phase, branches to run together), is sent their outcomes, in order.
Flow = Generator[tuple[Phase, list[Branch]], list[Outcome], None]


@dataclass
class Progress:
    """What a saga has done so far: its steps (status and outcome read it), what they learned."""

    completed_steps: list[str] = field(default_factory=list)
    compensated_steps: list[str] = field(default_factory=list)
    failed_compensations: list[dict[str, Any]] = field(default_factory=list)
    failure: dict[str, Any] | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def saga_flow(saga: SagaDefinition, data: dict[str, Any], progress: Progress) -> Flow:
    """The batches of ``saga`` run on ``data`` (the saga's input), recording into ``progress``."""
    registered: list[tuple[Branch, Outcome | None]] = []
    for stage in saga.stages:
        # Later stages see what earlier steps learned (e.g. the amount priced by create_order).
        branches = saga.branches(stage, {**data, **progress.facts})
        first = len(registered)
        # Registered before the step runs, so a step that half-succeeded (timed out, or crashed
        # after its write) is still undone.
        registered.extend((branch, None) for branch in branches)
        outcomes = yield ("running", branches)
        for offset, (branch, outcome) in enumerate(zip(branches, outcomes, strict=True)):
            registered[first + offset] = (branch, outcome)
            _record_forward(progress, branch, outcome)
        if progress.failure is not None:
            break
    else:
        return
    undo = [b.undo for b, done in reversed(registered) if b.undo and should_undo(done)]
    for batch in [undo] if saga.compensate_in_parallel else [[u] for u in undo]:
        outcomes = yield ("compensating", batch)
        for branch, outcome in zip(batch, outcomes, strict=True):
            if outcome["ok"]:
                progress.compensated_steps.append(branch.step)
            else:
                progress.failed_compensations.append({"step": branch.step, **_reason(outcome)})


def outcome(saga: SagaDefinition, key: str, progress: Progress) -> dict[str, Any]:
    """The saga's business outcome (the orchestration output)."""
    failure = progress.failure
    if failure is None:
        status = "completed"
    else:
        status = "compensation_failed" if progress.failed_compensations else "compensated"
    return {
        "status": status,
        saga.business_key: key,
        "failed_step": None if failure is None else failure["step"],
        "reason": failure,
        "completed_steps": progress.completed_steps,
        "compensated_steps": progress.compensated_steps,
        "failed_compensations": progress.failed_compensations,
        "facts": progress.facts if failure is None else {},
    }


def _record_forward(progress: Progress, branch: Branch, outcome: Outcome) -> None:
    if outcome["ok"]:
        progress.completed_steps.append(branch.step)
        learn(progress.facts, outcome.get("facts", {}))
    elif progress.failure is None:
        progress.failure = {"step": branch.step, **_reason(outcome)}


def learn(facts: dict[str, Any], learned: dict[str, Any]) -> None:
    """Keep what a step learned in ``facts``; a dict-valued fact that the branches of one stage
    each report a part of (e.g. one price per SKU) merges key by key."""
    for key, value in learned.items():
        known = facts.get(key)
        if isinstance(known, dict) and isinstance(value, dict):
            value = {**known, **value}
        facts[key] = value


def _reason(outcome: Outcome) -> dict[str, Any]:
    return {"code": outcome.get("code"), "message": outcome.get("message")}
