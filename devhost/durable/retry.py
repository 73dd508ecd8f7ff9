"""Host-driven retries for call_*_with_retry (spec 6.5): the SDK silently takes an id for the
retry timer when it sees the failure, and one for the next attempt when that timer fires; the
host mirrors both. Such events must be delivered alone so those ids are the next ones."""

from __future__ import annotations

from datetime import timedelta

from devhost.durable import history
from devhost.durable.episode.types import EpisodeResult, RetryGroup, Runtime
from devhost.durable.history import Event

_FAILED = (history.TASK_FAILED, history.SUB_ORCHESTRATION_FAILED)
_COMPLETED = (history.TASK_COMPLETED, history.SUB_ORCHESTRATION_COMPLETED)


def is_retry_event(runtime: Runtime, event: Event) -> bool:
    kind = event["EventType"]
    if kind in _FAILED:
        return event["TaskScheduledId"] in runtime.retries
    return kind == history.TIMER_FIRED and event["TimerId"] in runtime.retries


def start_group(
    runtime: Runtime, task_id: int, action: dict, kind: str, instance_id: str | None
) -> None:
    options = action["retryOptions"]
    runtime.retries[task_id] = RetryGroup(
        kind,
        action["functionName"],
        action.get("input"),
        instance_id,
        int(options["maxNumberOfAttempts"]),
        int(options["firstRetryIntervalInMilliseconds"]),
        version=action.get("version"),
    )


def track(runtime: Runtime, event: Event, instance_id: str, result: EpisodeResult) -> None:
    """Update retry groups for one delivered event, recording the timer or the next attempt."""
    kind = event["EventType"]
    if kind in _COMPLETED:
        runtime.retries.pop(event["TaskScheduledId"], None)
    elif kind in _FAILED and event["TaskScheduledId"] in runtime.retries:
        group = runtime.retries.pop(event["TaskScheduledId"])
        timer_id = runtime.take_id()
        fire_at = result.now + timedelta(milliseconds=group.interval_ms)
        runtime.retries[timer_id] = group
        result.schedule_timer(timer_id, history.iso(fire_at))
    elif kind == history.TIMER_FIRED and event["TimerId"] in runtime.retries:
        group = runtime.retries.pop(event["TimerId"])
        if group.attempts < group.max_attempts:  # else the SDK fails the task with the last error
            group.attempts += 1
            attempt_id = runtime.take_id()
            runtime.retries[attempt_id] = group
            _run_attempt(group, attempt_id, instance_id, result)


def _run_attempt(group: RetryGroup, task_id: int, instance_id: str, result: EpisodeResult) -> None:
    if group.kind == "activity":
        result.schedule_activity(task_id, group.name, group.input)
    else:
        child_id = group.instance_id or f"{instance_id}:{task_id}"
        result.schedule_child(task_id, group.name, child_id, group.input, group.version)
