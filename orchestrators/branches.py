"""A saga branch (an activity call and its compensation) and how a settled task becomes an outcome.

Activities return JSON dicts ``{"ok": bool, "code", "message", "facts"?, ...}``: business failures
are results with ``ok: false``; technical faults arrive as ``retryable`` results or failed tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Outcome = dict[str, Any]


@dataclass(frozen=True)
class Branch:
    """One forward step: the activity to call, its JSON input, and how to undo it."""

    step: str
    activity: str
    input: dict[str, Any]
    undo: Branch | None = None


def outcome_of(task: Any, retry_timeouts: bool) -> Outcome:
    """Turn a settled (or still running) activity task into an outcome dict."""
    if not task.is_completed:
        return {
            "ok": False,
            "code": "timeout",
            "message": "step timed out",
            "retryable": retry_timeouts,
        }
    if isinstance(task.result, Exception):
        # Durable erases the exception type; its text is "<Reason> \n <Details>".
        message = str(task.result).split("\n", 1)[0].strip()
        return {"ok": False, "code": "technical_fault", "message": message, "retryable": True}
    result = task.result
    if not isinstance(result, dict) or "ok" not in result:
        return {"ok": False, "code": "bad_result", "message": f"unexpected result {result!r}"}
    return result


def should_undo(outcome: Outcome | None) -> bool:
    """Undo steps that succeeded or may have taken effect; a business refusal changed nothing."""
    if outcome is None or outcome["ok"]:
        return True
    return outcome.get("code") in ("timeout", "technical_fault", "bad_result")
