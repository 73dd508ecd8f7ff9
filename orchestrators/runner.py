"""The generic saga runner: takes a ``SagaDefinition`` and the orchestration input, drives the
saga's control flow (``control.saga_flow``) with durable activity calls, per-step timeouts and
retry rounds, tells the definition's alert hook about compensations that kept failing, and
returns the outcome. It knows nothing of what the saga is about and imports no app module.

Everything here runs inside an orchestrator, so it is deterministic: time comes from
``context.current_utc_datetime``, and nothing logs or touches I/O.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime
from typing import Any

from orchestrators.branches import Branch, Outcome, outcome_of
from orchestrators.control import Phase, Progress, outcome, saga_flow
from orchestrators.definition import SagaDefinition
from orchestrators.policy import Policy

Steps = Generator[Any, Any, Any]


def run_saga(context: Any, saga: SagaDefinition) -> Steps:
    """Run ``saga`` on the orchestration input ``{"input", "policy"}``; returns its outcome."""
    request = context.get_input()
    run = SagaRun(context, Policy.from_dict(request["policy"]))
    data = request["input"]
    flow = saga_flow(saga, data, run.progress)
    batch = next(flow, None)
    while batch is not None:
        phase, branches = batch
        outcomes = yield from run.run_batch(phase, branches)
        batch = _send(flow, outcomes)
    output = outcome(saga, data[saga.business_key], run.progress)
    if run.progress.failed_compensations and saga.alert is not None:
        payload = {
            saga.business_key: data[saga.business_key],
            "saga_id": context.instance_id,
            "failed_compensations": run.progress.failed_compensations,
        }
        yield from run.attempt_rounds([Branch(saga.alert, saga.alert, payload)], "compensating")
    run.report(output["status"], "")
    return output


class SagaRun:
    """One saga execution's durable side: retry rounds, timers, custom status."""

    def __init__(self, context: Any, policy: Policy) -> None:
        self.context = context
        self.policy = policy
        self.deadline: datetime = context.current_utc_datetime + policy.deadline
        self.progress = Progress()

    def run_batch(self, phase: Phase, branches: list[Branch]) -> Steps:
        self.report(phase, ",".join(b.step for b in branches))
        return (yield from self.attempt_rounds(branches, phase))

    def attempt_rounds(self, branches: list[Branch], phase: Phase) -> Steps:
        """Run branches, re-running the retryable failures after an exponential backoff."""
        forward = phase == "running"
        policy = self.policy
        max_attempts = policy.retry_max_attempts if forward else policy.compensation_max_attempts
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
                "completed_steps": self.progress.completed_steps,
                "compensated_steps": self.progress.compensated_steps,
            }
        )


def _send(flow: Any, outcomes: list[Outcome]) -> Any:
    """The flow's next batch, or None when it is done."""
    try:
        return flow.send(outcomes)
    except StopIteration:
        return None
