"""A test app running the real saga runner over probe activities: one raises (a real TaskFailed,
which makes the SDK's task_all fail fast), one is slow, one is fast; every call is journaled."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from orchestrators.branches import Branch
from orchestrators.runner import Steps, run_saga

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


def _branch(step: str, order: dict[str, Any]) -> Branch:
    journal = {"journal": order["journal"], "step": step}
    return Branch(step, step, journal, Branch(f"undo_{step}", "undo", journal))


STAGES = [lambda order: [_branch(step, order) for step in ("boom", "slow", "fast")]]


@app.orchestration_trigger(context_name="context")
def fan_out_saga(context: df.DurableOrchestrationContext) -> Steps:
    return (yield from run_saga(context, STAGES, compensate_in_parallel=True))


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
def undo(payload: dict) -> dict:
    _journal(payload, f"undo {payload['step']}")
    return {"ok": True}
