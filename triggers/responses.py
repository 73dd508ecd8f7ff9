"""The HTTP plumbing every saga starter shares: reading and validating the request, storing its
failure injection block, and the JSON answers (accepted with the status URL, 400, 404, 409,
503)."""

from __future__ import annotations

import json
import logging
from typing import Any

import azure.functions as func

from composition import get_faults, get_settings
from observability import log_event
from triggers.sagas import simulate_of
from triggers.validation import parse_body, validate

log = logging.getLogger("saga.http")


def read_request(req: func.HttpRequest, model: type) -> Any:
    """The validated request; RequestError names the bad field."""
    settings = get_settings()
    data = parse_body(req.get_body(), req.headers.get("content-type"))
    return validate(model, data, settings.saga_max_items, settings.saga_fault_injection)


def remember_simulate(order_id: str, request: Any) -> None:
    """Store the request's failure injection block, if any, before the saga starts (the fault
    injector reads it where a step runs; it never travels in activity inputs or events)."""
    faults, simulate = get_faults(), simulate_of(request)
    if faults is not None and simulate:
        faults.remember(order_id, simulate)


def start_answer(
    req: func.HttpRequest, started: bool | None, saga_id: str, order_id: str, id_field: str
) -> func.HttpResponse:
    """202 when started now, 200 when the same request already runs, 409 on a different one."""
    if started is None:
        message = f"{id_field} '{order_id}' was already used for a different request"
        return json_response(409, {"error": "conflict", "field": id_field, "message": message})
    event = "saga_started" if started else "saga_start_repeated"
    log_event(log, logging.INFO, event, saga_id=saga_id, order_id=order_id)
    return accepted(req, saga_id, 202 if started else 200)


def accepted(req: func.HttpRequest, saga_id: str, status: int) -> func.HttpResponse:
    """Where to poll: the public status route of the saga's kind (``/saga/.../status``)."""
    base, _, route = req.url.rpartition("/saga/")
    kind = "choreography/" if route.startswith("choreography") else ""
    status_url = f"{base}/saga/{kind}{saga_id}/status"
    body = {"id": saga_id, "statusQueryGetUri": status_url}
    return json_response(status, body, {"Location": status_url, "Retry-After": "1"})


def unavailable() -> func.HttpResponse:
    """The backend is unreachable: the client may retry, starting is idempotent."""
    body = {"error": "unavailable", "message": "try again shortly"}
    return json_response(503, body, {"Retry-After": "5"})


def not_found() -> func.HttpResponse:
    return json_response(404, {"error": "not_found", "message": "no saga with this id"})


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> func.HttpResponse:
    return func.HttpResponse(
        json.dumps(body), status_code=status, headers=headers, mimetype="application/json"
    )
