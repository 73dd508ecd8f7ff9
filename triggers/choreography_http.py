"""HTTP API of the choreography saga: the idempotent starter (same body and validation as the
sequential saga) and the public status, read from the saga's read-model document."""

from __future__ import annotations

import logging

import azure.durable_functions as df
import azure.functions as func

from composition import get_settings, get_store
from observability import log_event
from saga.choreography import state
from saga.choreography.starter import start_saga
from saga.choreography.status import public_status
from saga.errors import TechnicalFault
from triggers.choreography_handlers import build_pipeline
from triggers.http import json_response
from triggers.sagas import KINDS
from triggers.validation import RequestError, SequentialRequest, parse_body, validate

# The choreography takes the sequential saga's request and builds the same order from it.
SEQUENTIAL = KINDS["sequential"]
bp = df.Blueprint()
# Without EVENTHUB_NAME the consumers (event_hub_name="%EVENTHUB_NAME%") are in error: a saga
# started then would wait forever, so none is started.
CONSUMERS_OFF = {
    "error": "unavailable",
    "setting": "EVENTHUB_NAME",
    "message": "app setting EVENTHUB_NAME is not set: the choreography's Event Hub consumers are "
    "not running, so no saga was started",
}
log = logging.getLogger("saga.choreography")


@bp.route(route="saga/choreography", methods=["POST"])
def start_choreography_saga(req: func.HttpRequest) -> func.HttpResponse:
    settings = get_settings()
    if not settings.eventhub_name:
        return json_response(503, CONSUMERS_OFF)
    try:
        data = parse_body(req.get_body(), req.headers.get("content-type"))
        request = validate(
            SequentialRequest, data, settings.saga_max_items, settings.saga_fault_injection
        )
    except RequestError as error:
        return json_response(400, error.body())
    payload = SEQUENTIAL.orchestration_input(request, settings)
    order_id = payload["order"]["order_id"]
    try:
        started = start_saga(
            build_pipeline(),
            payload["order"],
            payload["fingerprint"],
            settings.saga_choreography_deadline_seconds,
        )
    except TechnicalFault as fault:
        log.error("choreography start of %s failed: %s", order_id, fault)
        return json_response(
            503, {"error": "unavailable", "message": "try again later"}, {"Retry-After": "5"}
        )
    if started == "conflict":
        return json_response(
            409,
            {
                "error": "conflict",
                "field": "order_id",
                "message": f"order_id '{order_id}' was already used for a different request",
            },
        )
    log_event(log, logging.INFO, f"saga_{started}", saga_id=order_id, order_id=order_id)
    return _accepted(req, order_id, 202 if started == "started" else 200)


def _accepted(req: func.HttpRequest, order_id: str, status: int) -> func.HttpResponse:
    base = req.url[: req.url.rfind("/saga/choreography")]
    status_url = f"{base}/saga/choreography/{order_id}/status"
    body = {"id": order_id, "statusQueryGetUri": status_url}
    return json_response(status, body, {"Location": status_url, "Retry-After": "1"})


@bp.route(route="saga/choreography/{order_id}/status", methods=["GET"])
def get_choreography_status(req: func.HttpRequest) -> func.HttpResponse:
    saga = state.read(get_store(), req.route_params.get("order_id", ""))
    if saga is None:
        return json_response(404, {"error": "not_found", "message": "no saga with this id"})
    return json_response(200, public_status(saga))
