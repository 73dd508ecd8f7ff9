"""The saga runner: runs stages of parallel branches with per-step timeouts and retry rounds,
keeps the compensation list, and undoes what may have taken effect when a step fails.

Everything here runs inside an orchestrator, so it is deterministic: time comes from
``context.current_utc_datetime``, and nothing logs or touches I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime
from typing import Any

from activities import alerts
from orchestrators.branches import Branch, Outcome, outcome_of, should_undo
from orchestrators.policy import Policy

Steps = Generator[Any, Any, Any]


class SagaRun:
    """One saga execution; ``run_stage`` and ``compensate`` are generators to ``yield from``."""

    def __init__(self, context: Any, policy: Policy) -> None:
        self.context = context
        self.policy = policy
        self.deadline: datetime = context.current_utc_datetime + policy.deadline
        self.registered: list[tuple[Branch, Outcome | None]] = []
        self.completed_steps: list[str] = []
        self.compensated_steps: list[str] = []
        self.failed_compensations: list[dict[str, Any]] = []
        self.failure: dict[str, Any] | None = None
        self.facts: dict[str, Any] = {}

    def run_stage(self, branches: list[Branch]) -> Steps:
        """Run ``branches`` together; on any failure record it (later stages are then skipped)."""
        first = len(self.registered)
        # The compensation is registered before the step runs, so a step that half-succeeded
        # (timed out, or crashed after its write) is still undone.
        self.registered.extend((branch, None) for branch in branches)
        self.report("running", ",".join(b.step for b in branches))
        outcomes = yield from self._attempt_rounds(branches, self.policy.retry_max_attempts, True)
        for offset, (branch, outcome) in enumerate(zip(branches, outcomes, strict=True)):
            self.registered[first + offset] = (branch, outcome)
            if outcome["ok"]:
                self.completed_steps.append(branch.step)
                self.facts.update(outcome.get("facts", {}))
            elif self.failure is None:
                self.failure = {
                    "step": branch.step,
                    "code": outcome.get("code"),
                    "message": outcome.get("message"),
                }

    def compensate(self, in_parallel: bool) -> Steps:
        """Undo, newest first, every registered step that succeeded or whose outcome is unknown."""
        undo = [b.undo for b, done in reversed(self.registered) if b.undo and should_undo(done)]
        batches = [undo] if in_parallel else [[u] for u in undo]
        for batch in batches:
            self.report("compensating", ",".join(u.step for u in batch))
            attempts = self.policy.compensation_max_attempts
            outcomes = yield from self._attempt_rounds(batch, attempts, False)
            for branch, outcome in zip(batch, outcomes, strict=True):
                if outcome["ok"]:
                    self.compensated_steps.append(branch.step)
                else:
                    self.failed_compensations.append({"step": branch.step, **_reason(outcome)})

    def raise_alert(self, order_id: str) -> Steps:
        """Hand the failed compensations to an operator (error log + dead letter)."""
        payload = {
            "order_id": order_id,
            "saga_id": self.context.instance_id,
            "failed_compensations": self.failed_compensations,
        }
        alert = Branch("report", alerts.REPORT_COMPENSATION_FAILURE, payload)
        yield from self._attempt_rounds([alert], self.policy.compensation_max_attempts, False)

    def output(self, order_id: str) -> dict[str, Any]:
        """The orchestration output: the saga's business outcome."""
        if self.failure is None:
            status = "completed"
        else:
            status = "compensation_failed" if self.failed_compensations else "compensated"
        return {
            "status": status,
            "order_id": order_id,
            "failed_step": _get(self.failure, "step"),
            "reason": self.failure,
            "completed_steps": self.completed_steps,
            "compensated_steps": self.compensated_steps,
            "failed_compensations": self.failed_compensations,
            "facts": self.facts if self.failure is None else {},
        }

    def _attempt_rounds(self, branches: list[Branch], max_attempts: int, forward: bool) -> Steps:
        """Run branches, re-running the retryable failures after an exponential backoff."""
        outcomes: dict[int, Outcome] = {}
        todo = list(range(len(branches)))
        attempt = 1
        while todo:
            tasks = [
                self.context.call_activity(branches[i].activity, branches[i].input) for i in todo
            ]
            yield from self._settle(tasks, self._step_deadline(forward))
            for i, task in zip(todo, tasks, strict=True):
                outcomes[i] = outcome_of(task, retry_timeouts=not forward)
            retry = [i for i in todo if outcomes[i].get("retryable")]
            business_failure = any(
                not o["ok"] and not o.get("retryable") for o in outcomes.values()
            )
            if not retry or attempt >= max_attempts or (forward and business_failure):
                break
            wake = self.context.current_utc_datetime + self.policy.backoff(attempt)
            if forward and wake >= self.deadline:
                break
            yield self.context.create_timer(wake)
            attempt += 1
            todo = retry
        return [outcomes[i] for i in range(len(branches))]

    def _settle(self, tasks: list[Any], fire_at: datetime) -> Steps:
        """Wait until every task has finished or the timer fires. ``task_all`` alone fails fast
        on the first failure while siblings still run; looping waits for all of them."""
        timer = self.context.create_timer(fire_at)
        pending = tasks
        while pending:
            winner = yield self.context.task_any([self.context.task_all(pending), timer])
            if winner is timer:
                return
            pending = [t for t in pending if not t.is_completed]
        if not timer.is_completed:
            timer.cancel()

    def _step_deadline(self, forward: bool) -> datetime:
        step_end = self.context.current_utc_datetime + self.policy.step_timeout
        # Compensations must finish whatever the saga deadline says.
        return min(step_end, self.deadline) if forward else step_end

    def report(self, phase: str, step: str) -> None:
        self.context.set_custom_status(
            {
                "saga_status": phase,
                "current_step": step,
                "completed_steps": self.completed_steps,
                "compensated_steps": self.compensated_steps,
            }
        )


def _reason(outcome: Outcome) -> dict[str, Any]:
    return {"code": outcome.get("code"), "message": outcome.get("message")}


def _get(data: dict[str, Any] | None, key: str) -> Any:
    return None if data is None else data.get(key)


StageBuilder = Callable[[dict[str, Any]], list[Branch]]


def run_saga(context: Any, stages: list[StageBuilder], compensate_in_parallel: bool) -> Steps:
    """Run ``stages`` in order; when one fails, compensate and stop. Returns the saga output."""
    request = context.get_input()
    saga = SagaRun(context, Policy.from_dict(request.get("policy")))
    order = request["order"]
    for build in stages:
        # Later stages see what earlier steps learned (e.g. the amount priced by create_order).
        yield from saga.run_stage(build({**order, **saga.facts}))
        if saga.failure is not None:
            yield from saga.compensate(compensate_in_parallel)
            break
    output = saga.output(order["order_id"])
    if saga.failed_compensations:
        yield from saga.raise_alert(order["order_id"])
    saga.report(output["status"], "")
    return output
