"""Entity ids and the messages that reach and leave an entity, in the extension's JSON shapes
(spec 11.1, 11.3): ``@name@key`` ids, operation requests, and the response a calling
orchestrator receives as an ``EventRaised`` named after the request id."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from devhost.durable import history
from devhost.durable.history import Event

Request = dict[str, Any]
CALL_ENTITY, SIGNAL_ENTITY = 7, 9  # the orchestrator's action types
# What an entity key may not contain (the extension refuses these in signal_entity).
_INVALID_KEY_CHARACTERS = set("/\\#?")


def entity_id(name: str, key: str) -> str:
    """The scheduler id: the name lowercased, as the extension and the SDK both write it."""
    return f"@{name.lower()}@{key}"


def split_entity_id(scheduler_id: str) -> tuple[str, str]:
    """``@name@key`` -> (name, key); the key is everything after the second ``@``."""
    name, at, key = scheduler_id[1:].partition("@")
    if not scheduler_id.startswith("@") or not at or not name:
        raise ValueError(f"{scheduler_id!r} is not an entity id (@name@key)")
    return name, key


def key_error(key: str) -> str | None:
    """Why a key cannot name an entity, or None."""
    if any(c in _INVALID_KEY_CHARACTERS or ord(c) < 32 for c in key):
        return "Entity keys must not contain /, \\, #, ?, or control characters."
    return None


def request(
    operation: str, input_text: str | None, signal: bool, parent: str | None = None
) -> Request:
    """A request message; ``input_text`` is the operation's input as JSON text (None: none).
    A call also names the caller's execution (``parentExecution``), added when it is queued."""
    message: Request = {"op": operation, "id": str(uuid.uuid4())}
    if signal:
        message["signal"] = True
    if input_text is not None:
        message["input"] = input_text
    if parent is not None:
        message["parent"] = parent
    return message


def from_action(action: dict[str, Any], instance_id: str) -> Request:
    """The request for an orchestrator's CallEntity/SignalEntity action. The SDK already wrote
    the input as JSON text; the extension serializes that text once more (spec 11.3)."""
    raw = action.get("input")
    signal = action["actionType"] == SIGNAL_ENTITY
    return request(
        action["operation"], None if raw is None else json.dumps(raw), signal, instance_id
    )


def event_sent(task_id: int, target: str, message: Request, now: datetime) -> Event:
    """What the orchestrator's history records for a call or signal; the SDK re-keys a call's
    task from ``task_id`` to the request id it finds here."""
    return history.event(
        history.EVENT_SENT, now, task_id, InstanceId=target, Name="op", Input=json.dumps(message)
    )


def response_event(message: Request, result_text: str, is_error: bool, now: datetime) -> Event:
    """The answer to a call: an EventRaised named after the request id, whose input is the
    extension's ResponseMessage (``exceptionType`` only when the operation failed)."""
    response: dict[str, str] = {"result": result_text}
    if is_error:
        response["exceptionType"] = "Error"
    return history.event(history.EVENT_RAISED, now, Name=message["id"], Input=json.dumps(response))


def unknown_entity(name: str, known: list[str]) -> str:
    """The extension's text for a message to an entity no function implements."""
    listed = "', '".join(sorted(known))
    return (
        f"The function '{name}' doesn't exist, is disabled, or is not an entity function. "
        f"Additional info: The following are the known entity functions: '{listed}'."
    )
