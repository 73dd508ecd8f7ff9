"""A versioned orchestration for the dev host's versioning tests: its path depends on
``context.version``, it waits for a "deploy" in the middle, then reports the versions its
sub-orchestrations got (explicit, default, and through a retry)."""

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="start/{name}")
@app.durable_client_input(client_name="client")
async def start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    version = req.params.get("version")
    instance_id = await client.start_new(req.route_params["name"], version=version)
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def versioned(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    path = yield context.call_activity("choose_path", context.version)
    yield context.wait_for_external_event("Deployed")
    explicit = yield context.call_sub_orchestrator("report_version", version="0.9")
    default = yield context.call_sub_orchestrator("report_version")
    retry = df.RetryOptions(first_retry_interval_in_milliseconds=10, max_number_of_attempts=2)
    retried = yield context.call_sub_orchestrator_with_retry(
        "flaky_report_version", retry, version="1.5"
    )
    return {
        "version": context.version,
        "path": path,
        "explicit": explicit,
        "default": default,
        "retried": retried,
    }


@app.orchestration_trigger(context_name="context")
def report_version(context: df.DurableOrchestrationContext) -> str | None:
    return context.version


@app.orchestration_trigger(context_name="context")
def flaky_report_version(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    """Fails on the first attempt (its instance id ends in the first attempt's task id)."""
    attempts = yield context.call_activity("count_attempt", context.instance_id.split(":")[0])
    if attempts == 1:
        raise RuntimeError("first attempt fails")
    return context.version


@app.orchestration_trigger(context_name="context")
def renewing(context: df.DurableOrchestrationContext) -> str | None:
    """Continues as new twice; every execution keeps the instance's version."""
    generation = context.get_input() or 0
    if generation < 2:
        context.continue_as_new(generation + 1)
        return None
    return context.version


@app.orchestration_trigger(context_name="context")
def plain(context: df.DurableOrchestrationContext) -> str | None:
    return context.version


_ATTEMPTS: dict[str, int] = {}


@app.activity_trigger(input_name="parent")
def count_attempt(parent: str) -> int:
    _ATTEMPTS[parent] = _ATTEMPTS.get(parent, 0) + 1
    return _ATTEMPTS[parent]


@app.activity_trigger(input_name="version")
def choose_path(version: str | None) -> str:
    return "old path" if version == "1.0" else "new path"
