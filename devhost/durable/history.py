"""History events in the DTFx shape the Durable SDK replays (spec section 3.3), and the timestamp
formats the host writes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

EXECUTION_STARTED = 0
EXECUTION_COMPLETED = 1
EXECUTION_TERMINATED = 3
TASK_SCHEDULED = 4
TASK_COMPLETED = 5
TASK_FAILED = 6
SUB_ORCHESTRATION_CREATED = 7
SUB_ORCHESTRATION_COMPLETED = 8
SUB_ORCHESTRATION_FAILED = 9
TIMER_CREATED = 10
TIMER_FIRED = 11
ORCHESTRATOR_STARTED = 12
ORCHESTRATOR_COMPLETED = 13
EVENT_SENT = 14
EVENT_RAISED = 15

# The event types the SDK's replay reads; it ignores the rest (spec 6.1).
REPLAYED = {
    EXECUTION_STARTED,
    TASK_COMPLETED,
    TASK_FAILED,
    SUB_ORCHESTRATION_COMPLETED,
    SUB_ORCHESTRATION_FAILED,
    TIMER_FIRED,
    ORCHESTRATOR_STARTED,
    EVENT_SENT,  # a call_entity's task is re-keyed to its request id here (spec 11.3)
    EVENT_RAISED,
}

EVENT_NAMES = {
    0: "ExecutionStarted",
    1: "ExecutionCompleted",
    3: "ExecutionTerminated",
    4: "TaskScheduled",
    5: "TaskCompleted",
    6: "TaskFailed",
    7: "SubOrchestrationInstanceCreated",
    8: "SubOrchestrationInstanceCompleted",
    9: "SubOrchestrationInstanceFailed",
    10: "TimerCreated",
    11: "TimerFired",
    12: "OrchestratorStarted",
    13: "OrchestratorCompleted",
    14: "EventSent",
    15: "EventRaised",
}

Event = dict[str, Any]


def iso(moment: datetime) -> str:
    """UTC with microseconds and Z: sortable, and what the SDK writes for timer fireAt."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """An ISO 8601 time in UTC; one without an offset is taken as UTC (not local time)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def event(event_type: int, now: datetime, event_id: int = -1, **fields: Any) -> Event:
    return {
        "EventType": event_type,
        "EventId": event_id,
        "IsPlayed": False,
        "Timestamp": iso(now),
        **fields,
    }


def execution_completed(now: datetime, status: str, output: str | None) -> Event:
    """The last event of an execution that completed or failed (its output, or the failure)."""
    return event(EXECUTION_COMPLETED, now, OrchestrationStatus=status, Result=output)


def execution_started(
    now: datetime,
    name: str,
    input_text: str | None,
    instance_id: str,
    execution_id: str,
    parent: dict[str, Any] | None = None,
    version: str = "",
) -> Event:
    """The SDK reads ``context.version`` from this event's Version."""
    return event(
        EXECUTION_STARTED,
        now,
        Name=name,
        Version=version,
        Input=input_text,
        OrchestrationInstance={"InstanceId": instance_id, "ExecutionId": execution_id},
        ParentInstance=parent,
    )
