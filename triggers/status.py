"""The public status of an orchestrated saga, built from the Durable instance status.

Only the documented fields leave here: no input, no history, no management URL.
"""

from __future__ import annotations

from typing import Any

from triggers.sagas import kind_of_instance

RUNNING = {"Pending", "Running", "ContinuedAsNew", "Suspended"}


async def public_status(client: Any, instance_id: str) -> dict[str, Any] | None:
    """The status document, or None when the id is not a saga this API started."""
    if kind_of_instance(instance_id) is None:
        return None
    status = await client.get_status(instance_id)
    if not status or status.runtime_status is None:
        return None
    runtime = status.runtime_status.value
    custom = status.custom_status if isinstance(status.custom_status, dict) else {}
    output = status.output if isinstance(status.output, dict) else None
    return {
        "instance_id": instance_id,
        "runtime_status": runtime,
        "saga_status": _saga_status(runtime, output),
        "current_step": custom.get("current_step") if runtime in RUNNING else None,
        "completed_steps": _steps(output, custom, "completed_steps"),
        "compensated_steps": _steps(output, custom, "compensated_steps"),
        "output": output,
        "error": _error(runtime, status.output, output),
        "created_time": _iso(status.created_time),
        "last_updated_time": _iso(status.last_updated_time),
    }


def _saga_status(runtime: str, output: dict[str, Any] | None) -> str:
    if runtime in RUNNING:
        return "running"
    if runtime == "Completed" and output is not None:
        return str(output.get("status"))
    # Failed or terminated orchestrations need an operator, like a failed compensation.
    return "failed"


def _steps(output: dict[str, Any] | None, custom: dict[str, Any], key: str) -> list[str]:
    source = output if output is not None else custom
    return list(source.get(key) or [])


def _error(runtime: str, raw_output: Any, output: dict[str, Any] | None) -> Any:
    if output is not None:
        return output.get("reason")
    if runtime in ("Failed", "Terminated") and isinstance(raw_output, str):
        # Only the headline: the details may hold a stack trace.
        return {"code": runtime.lower(), "message": raw_output.split("\n", 1)[0][:300]}
    return None


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None
