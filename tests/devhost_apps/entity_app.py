"""A counter entity app for the dev host's entity support: a function-based entity, orchestrators
that signal and call it, and HTTP functions that use the real durable client's signal_entity and
read_entity_state."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


# --- the entity ------------------------------------------------------------------------------
@app.entity_trigger(context_name="context", entity_name="Counter")
def counter_entity(context: df.DurableEntityContext) -> None:
    value = context.get_state(lambda: 0)
    operation = context.operation_name
    if operation == "add":
        value += context.get_input()
    elif operation == "reset":
        value = 0
    elif operation == "fail":
        raise ValueError(f"counter {context.entity_key} refuses: {context.get_input()}")
    elif operation == "delete":
        context.destruct_on_exit()
        return
    elif operation == "slow_add":  # real time passes while the host has nothing else to do
        time.sleep(0.05)
        value += context.get_input()
    elif operation == "held_add":
        value += _held(context.get_input())
    elif operation == "poison":
        value = {"a set is not JSON"}  # the SDK cannot write this state: the whole batch fails
    context.set_state(value)
    context.set_result(value)


def _held(step: dict) -> int:
    """Records that it ran, then waits until the test creates the release file."""
    with (Path(step["dir"]) / "held_add.runs").open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    while not (Path(step["dir"]) / "release").exists():
        time.sleep(0.02)
    return int(step["amount"])


# --- orchestrators ---------------------------------------------------------------------------
@app.orchestration_trigger(context_name="context")
def add_then_get(context: df.DurableOrchestrationContext):
    """Signals "add" for each amount, then calls "get": the signals are processed first."""
    spec = context.get_input()
    counter = df.EntityId("Counter", spec["key"])
    for amount in spec["amounts"]:
        context.signal_entity(counter, "add", amount)
    return (yield context.call_entity(counter, "get"))


@app.orchestration_trigger(context_name="context")
def call_in_parallel(context: df.DurableOrchestrationContext):
    keys = context.get_input()["keys"]
    calls = [context.call_entity(df.EntityId("Counter", key), "add", 10) for key in keys]
    return (yield context.task_all(calls))


@app.orchestration_trigger(context_name="context")
def call_operation(context: df.DurableOrchestrationContext):
    """Calls one operation ({"entity", "key", "op", "input"}) and reports its result or error."""
    spec = context.get_input()
    target = df.EntityId(spec.get("entity", "Counter"), spec["key"])
    try:
        return {"result": (yield context.call_entity(target, spec["op"], spec.get("input")))}
    except Exception as error:
        return {"error": str(error)}


@app.orchestration_trigger(context_name="context")
def call_or_time_out(context: df.DurableOrchestrationContext):
    """A call raced against an hour-long timer: under virtual time the call must still win."""
    deadline = context.current_utc_datetime + timedelta(hours=1)
    timer = context.create_timer(deadline)
    call = context.call_entity(df.EntityId("Counter", context.get_input()["key"]), "slow_add", 1)
    winner = yield context.task_any([call, timer])
    if winner == call:
        timer.cancel()
        return {"result": call.result}
    return "timed out"


@app.orchestration_trigger(context_name="context")
def signal_and_finish(context: df.DurableOrchestrationContext):
    """Signals in its last episode: the signal still goes out."""
    context.signal_entity(df.EntityId("Counter", context.get_input()["key"]), "add", 5)
    return "sent"


# --- HTTP: the real durable client -----------------------------------------------------------
@app.route(route="counters/{key}/{operation}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def signal_counter(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    body = req.get_body()
    counter = df.EntityId("Counter", req.route_params["key"])
    await client.signal_entity(
        counter, req.route_params["operation"], json.loads(body) if body else None
    )
    return func.HttpResponse(status_code=202)


@app.route(route="counters/{key}", methods=["GET"])
@app.durable_client_input(client_name="client")
async def read_counter(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    state = await client.read_entity_state(df.EntityId("Counter", req.route_params["key"]))
    body = {"exists": state.entity_exists, "state": state.entity_state}
    return func.HttpResponse(json.dumps(body), mimetype="application/json")
