"""A test app running the real saga runner over probe activities: one raises (a real TaskFailed,
which makes the SDK's task_all fail fast), one is slow, one is fast; every call is journaled."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from orchestrators.definition import SagaDefinition, Step
from orchestrators.runner import Steps, run_saga

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


def _unused(store: Any, payload: dict[str, Any]) -> dict[str, Any]:
    raise AssertionError("this app registers its own activities")


def _step(name: str) -> Step:
    return Step(name, _unused, f"undo_{name}", _unused, fields=("journal",))


FAN_OUT = SagaDefinition(
    "fan_out_saga",
    "order_id",
    ((_step("boom"), _step("slow"), _step("fast")),),
    compensate_in_parallel=True,
)


@app.orchestration_trigger(context_name="context")
def fan_out_saga(context: df.DurableOrchestrationContext) -> Steps:
    return (yield from run_saga(context, FAN_OUT))


def _journal(payload: dict[str, Any], event: str) -> None:
    with Path(payload["journal"]).open("a") as journal:
        journal.write(json.dumps({"event": event, "at": time.monotonic()}) + "\n")


@app.activity_trigger(input_name="payload")
def boom(payload: dict) -> dict:
    _journal(payload, "boom")
    raise RuntimeError("boom: not a result, an exception")


@app.activity_trigger(input_name="payload")
def slow(payload: dict) -> dict:
    time.sleep(0.5)
    _journal(payload, "slow finished")
    return {"ok": True}


@app.activity_trigger(input_name="payload")
def fast(payload: dict) -> dict:
    return {"ok": True}


@app.activity_trigger(input_name="payload")
def undo_boom(payload: dict) -> dict:
    _journal(payload, "undo boom")
    return {"ok": True}


@app.activity_trigger(input_name="payload")
def undo_slow(payload: dict) -> dict:
    _journal(payload, "undo slow")
    return {"ok": True}


@app.activity_trigger(input_name="payload")
def undo_fast(payload: dict) -> dict:
    _journal(payload, "undo fast")
    return {"ok": True}
