"""The host side of one episode (spec 7, steps 3-6), without I/O: given the delivered events and
the orchestrator's reply, allocate ids exactly as the SDK does, record the events for new work,
and decide the outcome."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from devhost.durable import history, retry
from devhost.durable.entities.messages import CALL_ENTITY, SIGNAL_ENTITY
from devhost.durable.episode.types import EpisodeResult, Runtime
from devhost.durable.history import Event
from devhost.durable.orchestrator_call import Reply

CALL_ACTIVITY, CALL_ACTIVITY_RETRY, CALL_SUB, CALL_SUB_RETRY = 0, 1, 2, 3
CONTINUE_AS_NEW, CREATE_TIMER, WAIT_FOR_EVENT = 4, 5, 6
WHEN_ANY, WHEN_ALL = 11, 12
_UNSUPPORTED = {8: "CallHttp", 10: "ScheduledSignalEntity"}
_KINDS = {
    CALL_ACTIVITY: "activity",
    CALL_ACTIVITY_RETRY: "activity",
    CALL_SUB: "sub-orchestration",
    CALL_SUB_RETRY: "sub-orchestration",
    CONTINUE_AS_NEW: "continue-as-new",
    CREATE_TIMER: "timer",
    WAIT_FOR_EVENT: "wait for event",
    CALL_ENTITY: "entity call",
    SIGNAL_ENTITY: "entity signal",
}


def flatten(actions: list[Any]) -> list[dict[str, Any]]:
    """Atomic actions depth-first, in the order the SDK allocates their ids."""
    flat: list[dict[str, Any]] = []
    stack = [a for group in reversed(actions) for a in reversed(group)]
    while stack:
        action = stack.pop()
        if action.get("actionType") in (WHEN_ANY, WHEN_ALL):
            stack.extend(reversed(action.get("compoundActions") or []))
        else:
            flat.append(action)
    return flat


def apply_reply(
    runtime: Runtime,
    instance_id: str,
    orchestrator: str,
    delivered: list[Event],
    reply: Reply,
    now: datetime,
) -> EpisodeResult:
    result = EpisodeResult(now)
    custom = reply.state.get("customStatus")
    result.custom_status = None if custom is None else json.dumps(custom)
    if reply.error is not None:
        result.fail(orchestrator, reply.error)
        return result
    for event in delivered:
        if event["EventType"] == history.TIMER_FIRED:
            runtime.timers.pop(event["TimerId"], None)
        retry.track(runtime, event, instance_id, result)
    flat = flatten(reply.state.get("actions") or [])
    signatures = [signature(a) for a in flat]
    mismatch = first_mismatch(runtime.signatures, signatures)
    if mismatch is not None:
        result.fail(orchestrator, mismatch)
        return result
    result.new_signatures = signatures[runtime.consumed :]
    runtime.signatures.extend(result.new_signatures)
    for timer_id, position in list(runtime.timers.items()):
        if flat[position].get("isCanceled"):
            del runtime.timers[timer_id]
            result.canceled_timers.append(timer_id)
    for position in range(runtime.consumed, len(flat)):
        unsupported = _schedule(runtime, instance_id, flat[position], position, result)
        if unsupported:
            result.fail(orchestrator, f"the dev host does not support {unsupported}")
            return result
    runtime.consumed = len(flat)
    if reply.state.get("isDone"):
        _finish(result, reply.state, flat)
    return result


def signature(action: dict[str, Any]) -> str:
    kind = _KINDS.get(action["actionType"], str(action["actionType"]))
    if action["actionType"] in (CALL_ENTITY, SIGNAL_ENTITY):
        return f"{kind} '{action.get('instanceId')}' '{action.get('operation')}'"
    return f"{kind} '{action.get('functionName') or action.get('externalEventName') or ''}'"


def first_mismatch(previous: list[str], current: list[str]) -> str | None:
    """DTFx's non-determinism error when the replay no longer produces the recorded actions."""
    position = first_difference(previous, current)
    if position is None:
        return None
    now = current[position] if position < len(current) else "nothing"
    return (
        f"Non-Deterministic workflow detected: A previous execution of this orchestration "
        f"scheduled {previous[position]} at position {position}, but the current replay "
        f"execution scheduled {now}. Was a change made to the orchestrator code after this "
        "instance had already started running?"
    )


def first_difference(previous: list[str], current: list[str]) -> int | None:
    """The first position where ``current`` does not repeat the recorded ``previous`` actions
    (actions beyond the recorded ones are new work, not a difference)."""
    if current[: len(previous)] == previous:
        return None
    return next(
        (i for i, (a, b) in enumerate(zip(previous, current, strict=False)) if a != b),
        len(current),
    )


def _schedule(
    runtime: Runtime, instance_id: str, action: dict[str, Any], position: int, result: EpisodeResult
) -> str | None:
    """Record one new atomic action; returns the action's name if the host cannot run it."""
    kind = action["actionType"]
    if kind in (WAIT_FOR_EVENT, CONTINUE_AS_NEW):  # no id of their own here (spec 6.2, 7)
        return None
    if kind in _UNSUPPORTED:
        return _UNSUPPORTED[kind]
    task_id = runtime.take_id()
    if kind in (CALL_ACTIVITY, CALL_ACTIVITY_RETRY):
        if kind == CALL_ACTIVITY_RETRY:
            retry.start_group(runtime, task_id, action, "activity", None)
        result.schedule_activity(task_id, action["functionName"], action.get("input"))
    elif kind in (CALL_SUB, CALL_SUB_RETRY):
        if kind == CALL_SUB_RETRY:
            retry.start_group(runtime, task_id, action, "orchestrator", action.get("instanceId"))
        child_id = action.get("instanceId") or f"{instance_id}:{task_id}"
        result.schedule_child(
            task_id, action["functionName"], child_id, action.get("input"), action.get("version")
        )
    elif kind in (CALL_ENTITY, SIGNAL_ENTITY):
        result.send_to_entity(task_id, instance_id, action)
    elif kind == CREATE_TIMER:
        result.schedule_timer(task_id, action["fireAt"])
        if action.get("isCanceled"):
            result.canceled_timers.append(task_id)
        else:
            runtime.timers[task_id] = position
    else:
        return f"actionType {kind}"
    return None


def _finish(result: EpisodeResult, state: dict[str, Any], flat: list[dict[str, Any]]) -> None:
    if flat and flat[-1]["actionType"] == CONTINUE_AS_NEW:
        result.status = "ContinuedAsNew"
        result.output = flat[-1].get("input")  # the next execution's input text
    else:
        result.status = "Completed"
        result.output = json.dumps(state.get("output"))
