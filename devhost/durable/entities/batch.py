"""One batch of entity operations without I/O (spec 11.2): the trigger payload the SDK's
``Entity`` handler reads, and what its JSON answer means: the new state, one result per
operation, signals to other entities. A batch that produced no valid answer fails every one of
its operations and keeps the state."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from devhost.durable.entities import messages
from devhost.durable.entities.messages import Request
from devhost.durable.entities.store import EntityRow


@dataclass(frozen=True)
class OperationResult:
    result: str  # JSON text: the value set with set_result, or the error message
    is_error: bool


@dataclass
class BatchOutcome:
    exists: bool
    state: str | None  # JSON text, when the entity exists
    results: list[OperationResult]
    signals: list[tuple[str, Request]] = field(default_factory=list)  # (entity id, request)


def payload(name: str, key: str, entity: EntityRow | None, requests: list[Request]) -> str:
    """The entity trigger's JSON, as the extension builds it for out-of-process workers."""
    return json.dumps(
        {
            "self": {"name": name, "key": key},
            "exists": entity is not None,
            "state": entity.state if entity else None,
            "batch": [
                {"name": r["op"], "input": r.get("input"), "isSignal": bool(r.get("signal"))}
                for r in requests
            ],
        }
    )


def read_answer(text: Any, entity_id: str, count: int) -> BatchOutcome:
    """The SDK's answer (EntityState JSON); ValueError when it is not one for ``count``
    operations."""
    try:
        answer = json.loads(text)
        results = [OperationResult(r["result"], bool(r["isError"])) for r in answer["results"]]
        exists = bool(answer["entityExists"])
        signals = [_signal(s, entity_id) for s in answer.get("signals") or []]
    except (TypeError, ValueError, KeyError) as error:
        reason = f"the entity function's answer is not an entity batch result: {error}"
        raise ValueError(reason) from None
    if len(results) != count:
        raise ValueError(f"the entity function answered {len(results)} of {count} operations")
    return BatchOutcome(exists, answer.get("entityState") if exists else None, results, signals)


def failed(entity: EntityRow | None, count: int, message: str) -> BatchOutcome:
    """Every operation fails with ``message``; the state stays as it was."""
    error = OperationResult(json.dumps(message), True)
    return BatchOutcome(entity is not None, entity.state if entity else None, [error] * count)


def _signal(signal: dict[str, Any], sender: str) -> tuple[str, Request]:
    target = signal["target"]
    request = messages.request(signal["name"], signal.get("input"), True, sender)
    return messages.entity_id(target["name"], target["key"]), request
