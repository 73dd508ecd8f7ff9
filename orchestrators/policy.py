"""Retry, timeout and deadline policy, carried in the orchestration input so replay stays
deterministic (orchestrators never read settings or the environment themselves)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Policy:
    """How hard a saga tries: backoff for technical faults, per-step and overall time limits.
    No defaults here: the composition root builds it from ``Settings``, where they live."""

    retry_first_interval_ms: int
    retry_max_attempts: int
    retry_backoff: float
    step_timeout_seconds: int
    deadline_seconds: int
    compensation_max_attempts: int

    def backoff(self, attempt: int) -> timedelta:
        """Delay before attempt ``attempt + 1`` (attempt counts from 1)."""
        delay_ms = self.retry_first_interval_ms * self.retry_backoff ** (attempt - 1)
        return timedelta(milliseconds=delay_ms)

    @property
    def step_timeout(self) -> timedelta:
        return timedelta(seconds=self.step_timeout_seconds)

    @property
    def deadline(self) -> timedelta:
        return timedelta(seconds=self.deadline_seconds)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        return cls(**data)
