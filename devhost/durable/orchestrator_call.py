"""One orchestrator episode call, as the worker makes it: the trigger payload JSON (spec 3) in an
``OrchestrationContext``, and the reply parsed from the returned JSON or, when the orchestrator
raised, from the ``$OutOfProcData$`` tail of the error (spec 4)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azure.functions._durable_functions import OrchestrationContext

from devhost.durable import sdk_codec, sdk_executor, sdk_timestamps

OUT_OF_PROC_MARKER = "\n\n$OutOfProcData$:"


@dataclass(frozen=True)
class Reply:
    """The orchestrator's state (isDone, actions, output, customStatus) and its error, if any.
    ``host_error`` marks a failure before replay started (a malformed payload: a host bug)."""

    state: dict[str, Any]
    error: str | None = None
    host_error: bool = False


def install_sdk_fast_paths() -> None:
    """The host's faster, same-result replacements inside the SDK (history timestamps, the
    executor's namedtuple, the JSON codec), for every orchestrator call; idempotent."""
    sdk_timestamps.install()
    sdk_executor.install()
    sdk_codec.install()


def build_payload(
    history_text: str, instance_id: str, input_text: str | None, parent_id: str | None
) -> str:
    """``history_text`` is the comma-joined JSON of the history events (kept pre-serialized so
    an episode does not re-encode the whole history)."""
    return (
        f'{{"history":[{history_text}],"input":{json.dumps(input_text)},'
        f'"instanceId":{json.dumps(instance_id)},"isReplaying":false,'
        f'"parentInstanceId":{json.dumps(parent_id)},'
        '"upperSchemaVersion":1,"upperSchemaVersionNew":2}'
    )


def call_orchestrator(handler: Callable[[Any], str], payload: str) -> Reply:
    try:
        return Reply(json.loads(handler(OrchestrationContext(payload))))
    except Exception as error:  # the orchestrator failed: the SDK raises with its state attached
        head, marker, tail = str(error).partition(OUT_OF_PROC_MARKER)
        state = json.loads(tail) if marker else None
        if not isinstance(state, dict):  # raised before replay started: no state attached
            return Reply({"isDone": False, "actions": []}, head, host_error=True)
        return Reply(state, state.get("error") or head)
