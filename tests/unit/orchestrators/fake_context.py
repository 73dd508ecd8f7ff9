"""A mocked durable context for driving orchestrator generators without a host.

Activities are resolved immediately by fakes (``name -> callable(input)``). A fake may raise (the
task fails, as a TaskFailed would) or return ``HANG`` (the task never finishes, so the step's
timer wins). Timers advance a virtual clock. Task objects mirror the SDK's ``is_completed`` and
``result`` attributes, which is all the saga runner reads.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from composition import policy_from
from config import Settings
from orchestrators.policy import Policy

HANG = object()
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class FakeTask:
    def __init__(self, kind: str, **attrs: Any) -> None:
        self.kind, self.is_completed, self.result = kind, False, None
        self.__dict__.update(attrs)

    def cancel(self) -> None:
        if self.is_completed:
            raise ValueError("Cannot cancel a completed task.")
        self.cancelled = True


class FakeContext:
    """Records every activity call in ``calls`` and custom statuses in ``statuses``."""

    def __init__(self, input_: Any, fakes: dict[str, Callable[[Any], Any]]) -> None:
        self._input, self.fakes = input_, fakes
        self.instance_id = "saga-under-test"
        self.current_utc_datetime = T0
        self.calls: list[tuple[str, Any]] = []
        self.call_times: list[datetime] = []
        self.statuses: list[Any] = []

    def get_input(self) -> Any:
        return self._input

    def set_custom_status(self, status: Any) -> None:
        self.statuses.append(status)

    def call_activity(self, name: str, input_: Any = None) -> FakeTask:
        self.calls.append((name, input_))
        self.call_times.append(self.current_utc_datetime)
        task = FakeTask("activity")
        try:
            value = self.fakes[name](input_)
        except Exception as error:  # the SDK hands the orchestrator a plain Exception
            task.is_completed, task.result = True, Exception(f"Activity failed: {error} \n {{}}")
            return task
        if value is not HANG:
            task.is_completed, task.result = True, value
        return task

    def create_timer(self, fire_at: datetime) -> FakeTask:
        return FakeTask("timer", fire_at=fire_at, cancelled=False)

    def task_all(self, tasks: list[FakeTask]) -> FakeTask:
        done = all(t.is_completed for t in tasks)
        return FakeTask("all", children=tasks, is_completed=done)

    def task_any(self, tasks: list[FakeTask]) -> FakeTask:
        return FakeTask("any", children=tasks)

    def resolve(self, task: FakeTask) -> Any:
        """The value the SDK would send back into the generator for ``task``."""
        if task.kind == "timer":
            return self._fire(task)
        if task.kind == "any":
            finished = [t for t in task.children if t.is_completed]
            if finished:
                return finished[0]
            timers = [t for t in task.children if t.kind == "timer"]
            self._fire(min(timers, key=lambda t: t.fire_at))
            return next(t for t in task.children if t.is_completed)
        raise AssertionError(f"the saga runner never yields a bare {task.kind} task")

    def _fire(self, timer: FakeTask) -> None:
        self.current_utc_datetime = max(self.current_utc_datetime, timer.fire_at)
        timer.is_completed = True

    def advance(self, seconds: float) -> None:
        self.current_utc_datetime += timedelta(seconds=seconds)


def drive(generator: Generator[Any, Any, Any], context: FakeContext) -> Any:
    """Run an orchestrator generator to completion against ``context``; return its output."""
    value = None
    try:
        while True:
            value = context.resolve(generator.send(value))
    except StopIteration as stop:
        return stop.value


def policy(**overrides: Any) -> Policy:
    """The policy the default settings give, with ``overrides``."""
    return replace(policy_from(Settings()), **overrides)
