"""A small app that exercises the dev host: every orchestration feature the host must replay,
plus HTTP functions for routing and for the real durable client."""

from __future__ import annotations

import json
import os
import time
from datetime import timedelta
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
_FLAKY_CALLS: dict[str, int] = {}
_REPLAYS = {"count": 0}


# --- activities ------------------------------------------------------------------------------
@app.activity_trigger(input_name="value")
def add_one(value: int) -> int:
    return value + 1


@app.activity_trigger(input_name="value")
async def double(value: int) -> int:
    return value * 2


@app.activity_trigger(input_name="message")
def fail(message: str) -> None:
    raise ValueError(message)


@app.activity_trigger(input_name="key")
def flaky(key: str) -> str:
    """Fails on the first two calls for a key, then succeeds."""
    _FLAKY_CALLS[key] = _FLAKY_CALLS.get(key, 0) + 1
    if _FLAKY_CALLS[key] < 3:
        raise RuntimeError(f"attempt {_FLAKY_CALLS[key]} failed")
    return f"ok after {_FLAKY_CALLS[key]}"


@app.activity_trigger(input_name="step")
def marked_step(step: dict) -> int:
    """Appends a line to a marker file (to count runs), then waits for a release file to exist."""
    marker = Path(step["dir"]) / f"step{step['n']}.runs"
    with marker.open("a") as runs:
        runs.write(f"{os.getpid()}\n")
    release = Path(step["dir"]) / f"release{step['n']}"
    while step.get("wait") and not release.exists():
        time.sleep(0.02)
    return int(step["n"])


@app.activity_trigger(input_name="item")
def logged_item(item: dict) -> int:
    """Appends the item's number to a log file (one line per run), then works for a moment."""
    with Path(item["log"]).open("a") as log:
        log.write(f"{item['n']}\n")
    time.sleep(item["seconds"])
    return int(item["n"])


# --- orchestrators ---------------------------------------------------------------------------
@app.orchestration_trigger(context_name="context")
def sequence(context: df.DurableOrchestrationContext):
    value = context.get_input() or 0
    seen = []
    for _ in range(3):
        value = yield context.call_activity("add_one", value)
        seen.append(value)
    return seen


@app.orchestration_trigger(context_name="context")
def fan_out(context: df.DurableOrchestrationContext):
    items = context.get_input()
    results = yield context.task_all([context.call_activity(double, n) for n in items])
    return sum(results)


@app.orchestration_trigger(context_name="context")
def logged_fan_out(context: df.DurableOrchestrationContext):
    """One logged_item per number up to the input's width, all at once."""
    job = context.get_input()
    items = [{**job, "n": n} for n in range(job["width"])]
    done = yield context.task_all([context.call_activity("logged_item", i) for i in items])
    return sum(done)


@app.orchestration_trigger(context_name="context")
def approval(context: df.DurableOrchestrationContext):
    """Waits for "approve" or gives up after the input's number of hours."""
    deadline = context.current_utc_datetime + timedelta(hours=context.get_input())
    timer = context.create_timer(deadline)
    approved = context.wait_for_external_event("approve")
    winner = yield context.task_any([approved, timer])
    if winner == approved:
        timer.cancel()
        return {"approved": approved.result}
    return "timed out"


@app.orchestration_trigger(context_name="context")
def catch_failure(context: df.DurableOrchestrationContext):
    try:
        yield context.call_activity("fail", "card declined")
    except Exception as error:
        return str(error).split(" \n ")[0]
    return "not reached"


@app.orchestration_trigger(context_name="context")
def retry_flaky(context: df.DurableOrchestrationContext):
    options = df.RetryOptions(first_retry_interval_in_milliseconds=10, max_number_of_attempts=3)
    return (yield context.call_activity_with_retry("flaky", options, context.instance_id))


@app.orchestration_trigger(context_name="context")
def retry_fail(context: df.DurableOrchestrationContext):
    options = df.RetryOptions(first_retry_interval_in_milliseconds=10, max_number_of_attempts=2)
    yield context.call_activity_with_retry("fail", options, "always")


@app.orchestration_trigger(context_name="context")
def uncaught(context: df.DurableOrchestrationContext):
    context.set_custom_status({"stage": "charging"})
    yield context.call_activity("fail", "boom")


@app.orchestration_trigger(context_name="context")
def parent(context: df.DurableOrchestrationContext):
    child = yield context.call_sub_orchestrator("sequence", context.get_input())
    try:
        yield context.call_sub_orchestrator("uncaught", None)
    except Exception as error:
        return {"child": child, "failed_child": str(error).split(" \n ")[0]}


@app.orchestration_trigger(context_name="context")
def counter(context: df.DurableOrchestrationContext):
    count = context.get_input() or 0
    if count < 3:
        next_count = yield context.call_activity("add_one", count)
        context.continue_as_new(next_count)
        return None
    return count


@app.orchestration_trigger(context_name="context")
def status_then_wait(context: df.DurableOrchestrationContext):
    context.set_custom_status({"stage": "waiting"})
    value = yield context.wait_for_external_event("go")
    context.set_custom_status({"stage": "done"})
    return value


@app.orchestration_trigger(context_name="context")
def nondeterministic(context: df.DurableOrchestrationContext):
    """Schedules a different activity on replay: the SDK must detect it."""
    _REPLAYS["count"] += 1
    name = "add_one" if _REPLAYS["count"] == 1 else "double"
    yield context.call_activity(name, 1)
    yield context.call_activity("add_one", 2)


@app.orchestration_trigger(context_name="context")
def crash_saga(context: df.DurableOrchestrationContext):
    """Four marked steps; the test holds step 2 until it has killed and restarted the host."""
    settings = context.get_input()
    done = []
    for n in range(1, 5):
        done.append((yield context.call_activity("marked_step", {**settings, "n": n})))
    return done


# --- HTTP ------------------------------------------------------------------------------------
@app.route(route="start/{name}", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    body = req.get_body()
    instance_id = await client.start_new(
        req.route_params["name"], req.params.get("id"), json.loads(body) if body else None
    )
    return client.create_check_status_response(req, instance_id)


@app.route(route="client/{instance_id}/{action}", methods=["GET", "POST", "DELETE"])
@app.durable_client_input(client_name="client")
async def client_action(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    """The real client's calls, for tests: status, event, terminate, purge."""
    instance_id, action = req.route_params["instance_id"], req.route_params["action"]
    if action == "status":
        status = await client.get_status(instance_id, show_history=True)
        body = {
            "status": status.runtime_status.value if status.runtime_status else None,
            "output": status.output,
            "custom": status.custom_status,
            "events": len(getattr(status, "historyEvents", None) or []),
        }
        return func.HttpResponse(json.dumps(body), mimetype="application/json")
    if action == "raise":
        await client.raise_event(instance_id, req.params["event"], json.loads(req.get_body()))
    elif action == "terminate":
        await client.terminate(instance_id, req.params.get("reason", "by test"))
    elif action == "purge":
        result = await client.purge_instance_history(instance_id)
        return func.HttpResponse(json.dumps({"deleted": result.instances_deleted}))
    return func.HttpResponse(status_code=202)


@app.route(route="items/{id:int}/{*rest}", methods=["GET"])
def item_detail(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(dict(req.route_params)), mimetype="application/json")


@app.route(route="items/{name?}", methods=["GET"])
def item_by_name(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    body = {
        "name": req.route_params.get("name"),
        "q": req.params.get("q"),
        "function": context.function_name,
    }
    return func.HttpResponse(json.dumps(body), mimetype="application/json")


@app.route(route="things", methods=["POST"])
def create_thing(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(req.get_body(), status_code=201, headers={"X-Created": "yes"})


@app.route(route="broken")
def broken(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("secret detail that must not leak")


@app.orchestration_trigger(context_name="context")
def eternal_ticker(context: df.DurableOrchestrationContext):
    """An eternal orchestration: wait a minute, continue as new with the next generation."""
    generation = context.get_input() or 0
    yield context.create_timer(context.current_utc_datetime + timedelta(minutes=1))
    context.continue_as_new(generation + 1)
