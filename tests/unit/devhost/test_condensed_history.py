"""The condensed ``showHistory`` view: the shape the Durable HTTP API documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from devhost.durable import history
from devhost.management.condensed_history import condense

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def at(ms: int) -> datetime:
    return T0 + timedelta(milliseconds=ms)


def raw_history() -> list[dict[str, Any]]:
    """One activity that completed, one that failed, a timer, an event and a sub-orchestration."""
    e = history.event
    return [
        e(history.ORCHESTRATOR_STARTED, at(0)),
        history.execution_started(at(0), "saga", '{"order_id": "1"}', "i1", "x1"),
        e(history.TASK_SCHEDULED, at(1), 0, Name="charge", Version="", Input='{"amount": 5}'),
        e(history.ORCHESTRATOR_COMPLETED, at(1)),
        e(history.ORCHESTRATOR_STARTED, at(9)),
        e(history.TASK_COMPLETED, at(9), TaskScheduledId=0, Result='{"ok": true}'),
        e(history.TASK_SCHEDULED, at(10), 1, Name="ship", Version="", Input="null"),
        e(history.TIMER_CREATED, at(10), 2, FireAt="2026-01-01T12:00:01.000000Z"),
        e(history.TASK_FAILED, at(20), TaskScheduledId=1, Reason="boom", Details="{}"),
        e(history.TIMER_FIRED, at(1000), TimerId=2, FireAt="2026-01-01T12:00:01.000000Z"),
        e(history.EVENT_RAISED, at(1001), Name="approve", Input='"yes"'),
        e(history.SUB_ORCHESTRATION_CREATED, at(1002), 3, Name="child", InstanceId="c1", Input=""),
        e(history.SUB_ORCHESTRATION_COMPLETED, at(1500), TaskScheduledId=3, Result="[1, 2]"),
        {
            **e(history.EXECUTION_COMPLETED, at(1501)),
            "OrchestrationStatus": "Completed",
            "Result": '{"status": "completed"}',
        },
    ]


def test_execution_started_names_the_function_and_drops_the_internal_fields() -> None:
    started = condense(raw_history())[0]
    assert started == {
        "EventType": "ExecutionStarted",
        "FunctionName": "saga",
        "Input": '{"order_id": "1"}',
        "Timestamp": "2026-01-01T12:00:00.000000Z",
    }


def test_a_completed_activity_is_one_event_with_its_name_scheduled_time_and_json_result() -> None:
    events = condense(raw_history(), show_output=True)
    completed = next(e for e in events if e["EventType"] == "TaskCompleted")
    assert completed == {
        "EventType": "TaskCompleted",
        "FunctionName": "charge",
        "ScheduledTime": "2026-01-01T12:00:00.001000Z",
        "Timestamp": "2026-01-01T12:00:00.009000Z",
        "Input": '{"amount": 5}',
        "Result": {"ok": True},
    }
    assert not any(e["EventType"] == "TaskScheduled" for e in events)


def test_replay_markers_and_merged_scheduling_events_are_left_out() -> None:
    kinds = [e["EventType"] for e in condense(raw_history())]
    assert kinds == [
        "ExecutionStarted",
        "TaskCompleted",
        "TimerCreated",
        "TaskFailed",
        "TimerFired",
        "EventRaised",
        "SubOrchestrationInstanceCompleted",
        "ExecutionCompleted",
    ]


def test_a_failed_activity_keeps_its_reason_and_gains_its_name() -> None:
    failed = next(e for e in condense(raw_history()) if e["EventType"] == "TaskFailed")
    assert (failed["FunctionName"], failed["Reason"]) == ("ship", "boom")
    assert failed["ScheduledTime"] == "2026-01-01T12:00:00.010000Z"
    assert "TaskScheduledId" not in failed and "EventId" not in failed


def test_results_are_left_out_unless_history_output_is_asked_for() -> None:
    events = condense(raw_history(), show_output=False)
    assert not any("Result" in e for e in events)
    shown = condense(raw_history(), show_output=True)
    assert shown[-1] == {
        "EventType": "ExecutionCompleted",
        "OrchestrationStatus": "Completed",
        "Result": {"status": "completed"},
        "Timestamp": "2026-01-01T12:00:01.501000Z",
    }
    child = next(e for e in shown if e["EventType"] == "SubOrchestrationInstanceCompleted")
    assert (child["FunctionName"], child["Result"]) == ("child", [1, 2])


def test_show_input_false_removes_every_input() -> None:
    assert not any("Input" in e for e in condense(raw_history(), show_input=False))


def test_a_timer_keeps_its_fire_time_without_the_internal_timer_id() -> None:
    fired = next(e for e in condense(raw_history()) if e["EventType"] == "TimerFired")
    assert fired == {
        "EventType": "TimerFired",
        "FireAt": "2026-01-01T12:00:01.000000Z",
        "Timestamp": "2026-01-01T12:00:01.000000Z",
    }


def test_an_activity_still_running_stays_as_its_scheduling_event() -> None:
    running = raw_history()[:4]
    events = condense(running)
    assert [e["EventType"] for e in events] == ["ExecutionStarted", "TaskScheduled"]
    assert events[1] == {
        "EventType": "TaskScheduled",
        "Name": "charge",
        "Input": '{"amount": 5}',
        "Timestamp": "2026-01-01T12:00:00.001000Z",
    }


def test_a_result_that_is_not_json_text_stays_a_string() -> None:
    raw = raw_history()
    raw[-1]["Result"] = "terminated by operator"
    assert condense(raw, show_output=True)[-1]["Result"] == "terminated by operator"
