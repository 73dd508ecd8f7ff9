"""What an episode reads and produces: the instance's replay bookkeeping (``Runtime``), the work
it starts, and the history events it records for that work."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from devhost.durable import history
from devhost.durable.entities import messages
from devhost.durable.history import Event


@dataclass
class RetryGroup:
    """One call_*_with_retry: what to run again and how often (spec 6.5)."""

    kind: str  # "activity" or "orchestrator"
    name: str
    input: str | None
    instance_id: str | None
    max_attempts: int
    interval_ms: int
    attempts: int = 1
    version: str | None = None  # a sub-orchestration's version, as the call gave it


@dataclass
class Runtime:
    """Mirror of the SDK's id counter plus host-side bookkeeping, persisted with the instance."""

    next_id: int = 0
    consumed: int = 0  # atomic actions of the cumulative action list already handled
    retries: dict[int, RetryGroup] = field(default_factory=dict)  # attempt/timer id -> group
    timers: dict[int, int] = field(default_factory=dict)  # pending user timer id -> action index
    # One "kind:name" per consumed action, to detect a replay that no longer matches (stored in
    # its own append-only table, not in extra_json).
    signatures: list[str] = field(default_factory=list)

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def extra_json(self) -> str:
        return json.dumps(
            {"retries": {k: asdict(v) for k, v in self.retries.items()}, "timers": self.timers}
        )

    @classmethod
    def restore(cls, next_id: int, consumed: int, extra: str, signatures: list[str]) -> Runtime:
        data = json.loads(extra)
        retries = {int(k): RetryGroup(**v) for k, v in data["retries"].items()}
        timers = {int(k): v for k, v in data["timers"].items()}
        return cls(next_id, consumed, retries, timers, signatures)


@dataclass(frozen=True)
class ActivityWork:
    task_id: int
    name: str
    input: str | None


@dataclass(frozen=True)
class TimerWork:
    task_id: int
    fire_at: str


@dataclass(frozen=True)
class ChildWork:
    task_id: int
    name: str
    instance_id: str
    input: str | None
    version: str | None  # None: the host's defaultVersion when the child is created


@dataclass(frozen=True)
class EntityMessage:
    """A call or signal to an entity, queued in the episode's transaction (spec 11.3)."""

    target: str  # @name@key
    request: messages.Request


@dataclass
class EpisodeResult:
    """Events to record after the delivered ones, work to start once committed, and the outcome."""

    now: datetime
    status: str = "Running"  # Running | Completed | Failed | ContinuedAsNew
    output: str | None = None  # JSON text
    custom_status: str | None = None  # JSON text
    recorded: list[Event] = field(default_factory=list)
    activities: list[ActivityWork] = field(default_factory=list)
    timers: list[TimerWork] = field(default_factory=list)
    children: list[ChildWork] = field(default_factory=list)
    entity_messages: list[EntityMessage] = field(default_factory=list)
    canceled_timers: list[int] = field(default_factory=list)
    new_signatures: list[str] = field(default_factory=list)

    def schedule_activity(self, task_id: int, name: str, input_text: str | None) -> None:
        self.recorded.append(
            history.event(
                history.TASK_SCHEDULED, self.now, task_id, Name=name, Version="", Input=input_text
            )
        )
        self.activities.append(ActivityWork(task_id, name, input_text))

    def schedule_timer(self, task_id: int, fire_at: str) -> None:
        self.recorded.append(
            history.event(history.TIMER_CREATED, self.now, task_id, FireAt=fire_at)
        )
        self.timers.append(TimerWork(task_id, fire_at))

    def schedule_child(
        self, task_id: int, name: str, instance_id: str, input_text: Any, version: str | None
    ) -> None:
        self.recorded.append(
            history.event(
                history.SUB_ORCHESTRATION_CREATED,
                self.now,
                task_id,
                Name=name,
                InstanceId=instance_id,
                Input=input_text,
                Version=version or "",
            )
        )
        self.children.append(ChildWork(task_id, name, instance_id, input_text, version))

    def send_to_entity(self, task_id: int, instance_id: str, action: dict[str, Any]) -> None:
        request = messages.from_action(action, instance_id)
        target = action["instanceId"]
        self.recorded.append(messages.event_sent(task_id, target, request, self.now))
        self.entity_messages.append(EntityMessage(target, request))

    def fail(self, orchestrator: str, error: str) -> None:
        self.status = "Failed"
        self.output = json.dumps(f"Orchestrator function '{orchestrator}' failed: {error}")
