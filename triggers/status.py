"""The public status of a saga, one shape for every kind: an orchestrated saga's is built from
its Durable instance status, a choreography saga's from its read-model document.

Only the documented fields leave here: no input, no history, no management URL.
"""

from __future__ import annotations

from typing import Any

from saga.choreography.state import RUNNING as CHOREOGRAPHY_RUNNING
from saga.ports import Document
from triggers.sagas import kind_of_instance

# Durable runtime statuses of an instance that has not finished.
RUNNING = {"Pending", "Running", "ContinuedAsNew", "Suspended"}
STATUS_FIELDS = frozenset(
    {
        "instance_id",
        "runtime_status",
        "saga_status",
        "current_step",
        "completed_steps",
        "compensated_steps",
        "output",
        "error",
        "created_time",
        "last_updated_time",
    }
)


async def orchestrated_status(client: Any, instance_id: str) -> dict[str, Any] | None:
    """The status document, or None when the id is not a saga this API started."""
    if kind_of_instance(instance_id) is None:
        return None
    status = await client.get_status(instance_id)
    if not status or status.runtime_status is None:
        return None
    runtime = status.runtime_status.value
    custom = status.custom_status if isinstance(status.custom_status, dict) else {}
    output = status.output if isinstance(status.output, dict) else None
    progress = output if output is not None else custom
    return {
        "instance_id": instance_id,
        "runtime_status": runtime,
        "saga_status": _saga_status(runtime, output),
        "current_step": custom.get("current_step") if runtime in RUNNING else None,
        "completed_steps": list(progress.get("completed_steps") or []),
        "compensated_steps": list(progress.get("compensated_steps") or []),
        "output": output,
        "error": _error(runtime, status.output, output),
        "created_time": _iso(status.created_time),
        "last_updated_time": _iso(status.last_updated_time),
    }


def choreography_status(doc: Document) -> dict[str, Any]:
    """The same shape for a choreography saga; its outcome is the orchestrators' output."""
    running = doc["status"] == CHOREOGRAPHY_RUNNING
    return {
        "instance_id": doc["order_id"],
        "runtime_status": "Running" if running else "Completed",
        "saga_status": doc["status"],
        "current_step": doc["current_step"] if running else None,
        "completed_steps": list(doc["completed_steps"]),
        "compensated_steps": list(doc["compensated_steps"]),
        "output": None if running else outcome_of(doc),
        "error": doc["reason"],
        "created_time": doc["created_time"],
        "last_updated_time": doc["last_updated_time"],
    }


def outcome_of(doc: Document) -> dict[str, Any]:
    """A finished choreography saga's outcome, in the shape the orchestrators return."""
    reason, order = doc["reason"], doc["order"]
    facts = {"amount_minor": order["amount_minor"], "items": order["items"]}
    return {
        "status": doc["status"],
        "order_id": doc["order_id"],
        "failed_step": reason["step"] if reason else None,
        "reason": reason,
        "completed_steps": doc["completed_steps"],
        "compensated_steps": doc["compensated_steps"],
        "failed_compensations": doc["failed_compensations"],
        "facts": facts if doc["status"] == "completed" else {},
    }


def _saga_status(runtime: str, output: dict[str, Any] | None) -> str:
    if runtime in RUNNING:
        return "running"
    if runtime == "Completed" and output is not None:
        return str(output.get("status"))
    # Failed or terminated orchestrations need an operator, like a failed compensation.
    return "failed"


def _error(runtime: str, raw_output: Any, output: dict[str, Any] | None) -> Any:
    if output is not None:
        return output.get("reason")
    if runtime in ("Failed", "Terminated") and isinstance(raw_output, str):
        # Only the headline: the details may hold a stack trace.
        return {"code": runtime.lower(), "message": raw_output.split("\n", 1)[0][:300]}
    return None


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None
