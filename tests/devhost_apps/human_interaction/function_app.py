"""Human interaction: ask for an approval, then wait for the ApprovalEvent or a deadline,
whichever comes first; a late answer finds the instance finished."""

from datetime import timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="approvals", methods=["POST"])
@app.durable_client_input(client_name="client")
async def request_approval(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    instance_id = await client.start_new("approval_workflow", client_input=req.get_json())
    return client.create_check_status_response(req, instance_id)


@app.orchestration_trigger(context_name="context")
def approval_workflow(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    request = context.get_input()
    yield context.call_activity("send_approval_request", request)
    context.set_custom_status("waiting for approval")
    deadline = context.current_utc_datetime + timedelta(minutes=request["timeout_minutes"])
    timeout = context.create_timer(deadline)
    answer = context.wait_for_external_event("ApprovalEvent")
    winner = yield context.task_any([answer, timeout])
    if winner == answer:
        timeout.cancel()
        decision = {"subject": request["subject"], "approved": bool(answer.result["approved"])}
        outcome = yield context.call_activity("record_decision", decision)
    else:
        outcome = yield context.call_activity("escalate", request)
    context.set_custom_status("done")
    return outcome


@app.activity_trigger(input_name="request")
def send_approval_request(request: dict[str, Any]) -> str:
    return f"approval of {request['subject']} requested"


@app.activity_trigger(input_name="decision")
def record_decision(decision: dict[str, Any]) -> str:
    return f"{decision['subject']} {'approved' if decision['approved'] else 'rejected'}"


@app.activity_trigger(input_name="request")
def escalate(request: dict[str, Any]) -> str:
    return f"{request['subject']} escalated: no answer in {request['timeout_minutes']} minutes"
