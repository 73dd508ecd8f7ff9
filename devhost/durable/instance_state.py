"""An unfinished instance as the engine keeps it in memory: its row, replay bookkeeping, the
history as pre-serialized JSON, events ready for the next episode, and its armed timers."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from devhost.durable import history, retry
from devhost.durable.episode.types import Runtime
from devhost.durable.history import Event
from devhost.durable.store import InstanceRow, PendingRow


@dataclass
class Ready:
    """An event waiting for delivery; ``key`` names its pending row, deleted once delivered."""

    key: str | None
    event: Event

    def pending_row(self, instance_id: str) -> PendingRow:
        return PendingRow(instance_id, str(self.key), "event", None, json.dumps(self.event))


@dataclass
class Active:
    row: InstanceRow
    runtime: Runtime = field(default_factory=Runtime)
    history_len: int = 0  # events stored
    replay_text: str = ""  # the stored events the SDK replays, as JSON, comma-joined
    ready: list[Ready] = field(default_factory=list)
    timers: dict[int, asyncio.Task[None]] = field(default_factory=dict)

    @property
    def parent(self) -> dict[str, Any] | None:
        return json.loads(self.row.parent) if self.row.parent else None

    def with_replayed(self, events: list[str]) -> str:
        """The replay text extended by ``events`` (already JSON)."""
        joined = ",".join(events)
        if not (self.replay_text and joined):
            return self.replay_text or joined
        return f"{self.replay_text},{joined}"

    def extend_history(self, stored: int, replayed: list[str]) -> None:
        self.replay_text = self.with_replayed(replayed)
        self.history_len += stored

    def new_execution(self, start: list[Ready]) -> None:
        """After continue-as-new: empty history; raised events not yet delivered carry over."""
        for timer in self.timers.values():
            timer.cancel()
        self.timers.clear()
        raised = [r for r in self.ready if r.key and r.key.startswith("e")]
        self.ready = start + raised
        self.history_len, self.replay_text = 0, ""

    def take_deliverable(self) -> list[Ready]:
        """The next batch: a retry-related event alone, else every event before the next one."""
        if retry.is_retry_event(self.runtime, self.ready[0].event):
            return [self.ready.pop(0)]
        count = 1
        while count < len(self.ready) and not retry.is_retry_event(
            self.runtime, self.ready[count].event
        ):
            count += 1
        taken, self.ready = self.ready[:count], self.ready[count:]
        return taken


def restore_active(row: InstanceRow, fragments: list[str], signatures: list[str]) -> Active:
    """An instance as the engine holds it, from its stored row, history and action signatures."""
    active = Active(row, Runtime.restore(row.next_id, row.consumed, row.extra, signatures))
    replayed = [f for f in fragments if json.loads(f)["EventType"] in history.REPLAYED]
    active.extend_history(len(fragments), replayed)
    return active


def new_instance(
    name: str,
    instance_id: str,
    input_text: str | None,
    now: datetime,
    parent: dict[str, Any] | None = None,
    version: str = "",
) -> Active:
    """A Pending instance whose first episode will deliver ExecutionStarted."""
    stamp = history.iso(now)
    execution_id = uuid.uuid4().hex
    row = InstanceRow(
        instance_id, name, "Pending", input_text, None, None, stamp, stamp, execution_id
    )
    row.parent = json.dumps(parent) if parent else None
    row.version = version
    return Active(row, ready=[start_event(row, now, parent)])


def start_event(row: InstanceRow, now: datetime, parent: dict[str, Any] | None) -> Ready:
    parent_instance = parent and {
        "Name": parent["name"],
        "OrchestrationInstance": {
            "InstanceId": parent["id"],
            "ExecutionId": parent["execution_id"],
        },
        "TaskScheduleId": parent["task_id"],
    }
    started = history.execution_started(
        now, row.name, row.input, row.id, row.execution_id, parent_instance, row.version
    )
    return Ready("x", started)


def result_for_parent(row: InstanceRow, task_id: int, now: datetime) -> Event:
    """The Completed/Failed event the parent of a finished sub-orchestration receives."""
    if row.status == "Completed":
        return history.event(
            history.SUB_ORCHESTRATION_COMPLETED, now, TaskScheduledId=task_id, Result=row.output
        )
    reason = json.loads(row.output) if row.output else row.status
    return failure_event(history.SUB_ORCHESTRATION_FAILED, task_id, str(reason), now)


def failure_event(
    event_type: int, task_id: int, reason: str, now: datetime, trace: str = ""
) -> Event:
    details = json.dumps({"Message": reason, "StackTrace": trace})
    return history.event(event_type, now, TaskScheduledId=task_id, Reason=reason, Details=details)
