"""The public status of a choreography saga, in the orchestrated sagas' shape
(``triggers.status``), built from its read-model document."""

from __future__ import annotations

from typing import Any

from saga.choreography.state import COMPLETED, RUNNING
from saga.ports import Document


def public_status(doc: Document) -> dict[str, Any]:
    """The orchestrated sagas' status shape (``triggers.status``) for a choreography saga."""
    running = doc["status"] == RUNNING
    return {
        "instance_id": doc["order_id"],
        "runtime_status": "Running" if running else "Completed",
        "saga_status": doc["status"],
        "current_step": doc["current_step"] if running else None,
        "completed_steps": list(doc["completed_steps"]),
        "compensated_steps": list(doc["compensated_steps"]),
        "output": None if running else _output(doc),
        "error": doc["reason"],
        "created_time": doc["created_time"],
        "last_updated_time": doc["last_updated_time"],
    }


def _output(doc: Document) -> dict[str, Any]:
    """The saga's business outcome, as the orchestrators return it."""
    reason = doc["reason"]
    order = doc["order"]
    facts = {"amount_minor": order["amount_minor"], "items": order["items"]}
    return {
        "status": doc["status"],
        "order_id": doc["order_id"],
        "failed_step": reason["step"] if reason else None,
        "reason": reason,
        "completed_steps": doc["completed_steps"],
        "compensated_steps": doc["compensated_steps"],
        "failed_compensations": doc["failed_compensations"],
        "facts": facts if doc["status"] == COMPLETED else {},
    }
