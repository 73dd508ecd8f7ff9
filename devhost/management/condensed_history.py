"""The condensed history that ``showHistory=true`` returns, shaped as the Durable extension shapes
it: event types by name, each completion merged with its scheduling event (FunctionName,
ScheduledTime, Input), replay markers dropped, results as JSON values when output is shown."""

from __future__ import annotations

import json
from typing import Any

from devhost.durable import history

Event = dict[str, Any]

# A completion is merged with the event that scheduled it, found by its TaskScheduledId.
_SCHEDULED_BY = {
    "TaskCompleted": "TaskScheduled",
    "TaskFailed": "TaskScheduled",
    "SubOrchestrationInstanceCompleted": "SubOrchestrationInstanceCreated",
    "SubOrchestrationInstanceFailed": "SubOrchestrationInstanceCreated",
}
_RESULT_SHOWN = {"TaskCompleted", "SubOrchestrationInstanceCompleted", "ExecutionCompleted"}
_DROPPED = {"OrchestratorStarted", "OrchestratorCompleted"}
_STARTED_DROPS = ("OrchestrationInstance", "ParentInstance", "Version", "Tags")


def condense(raw: list[Event], show_input: bool = True, show_output: bool = False) -> list[Event]:
    """The documented ``historyEvents`` from the host's stored events (oldest first)."""
    scheduled: dict[str, int] = {}  # "TaskScheduled_3" -> index of that event in ``events``
    merged: set[int] = set()
    events: list[Event] = []
    for stored in raw:
        event = dict(stored)
        kind = history.EVENT_NAMES.get(event["EventType"], str(event["EventType"]))
        event["EventType"] = kind
        if kind in ("TaskScheduled", "SubOrchestrationInstanceCreated"):
            scheduled[f"{kind}_{event.get('EventId')}"] = len(events)
            event.pop("Version", None)
        elif kind in _SCHEDULED_BY:
            key = f"{_SCHEDULED_BY[kind]}_{event.pop('TaskScheduledId', None)}"
            if (index := scheduled.get(key)) is not None:
                _merge_scheduling(event, events[index], show_input)
                merged.add(index)
        elif kind == "ExecutionStarted":
            event["FunctionName"] = event.pop("Name", None)
            for name in _STARTED_DROPS:
                event.pop(name, None)
        elif kind == "TimerFired":
            event.pop("TimerId", None)
        if kind in _RESULT_SHOWN:
            _show_result(event, show_output)
        if not show_input:
            event.pop("Input", None)
        event.pop("EventId", None)
        event.pop("IsPlayed", None)
        events.append(event)
    return [e for i, e in enumerate(events) if i not in merged and e["EventType"] not in _DROPPED]


def _merge_scheduling(event: Event, scheduling: Event, show_input: bool) -> None:
    event["ScheduledTime"] = scheduling["Timestamp"]
    event["FunctionName"] = scheduling.get("Name")
    if show_input:
        event["Input"] = scheduling.get("Input")


def _show_result(event: Event, show_output: bool) -> None:
    """Without showHistoryOutput the result is left out; with it, it is JSON, not JSON text."""
    if not show_output:
        event.pop("Result", None)
    elif isinstance(event.get("Result"), str):
        event["Result"] = parse_json_text(event["Result"])


def parse_json_text(text: str) -> Any:
    """JSON text as a value; text that is not JSON stays as it is (a terminate reason, say)."""
    try:
        return json.loads(text)
    except ValueError:
        return text
