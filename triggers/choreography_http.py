"""HTTP API of the choreography saga: the idempotent starter (same body and validation as the
sequential saga) and the public status, read from the saga's read-model document."""

from __future__ import annotations

import logging

import azure.durable_functions as df
import azure.functions as func

from composition import get_pipeline, get_policy, get_settings, get_store
from saga.choreography import state
from saga.choreography.starter import start_saga
from saga.errors import TechnicalFault
from triggers.responses import (
    json_response,
    not_found,
    read_request,
    remember_simulate,
    start_answer,
    unavailable,
)
from triggers.sagas import KINDS
from triggers.status import choreography_status
from triggers.validation import RequestError

# The choreography takes the sequential saga's request and builds the same order from it.
SEQUENTIAL = KINDS["sequential"]
STARTED = {"started": True, "exists": False, "conflict": None}
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
    if not get_settings().eventhub_name:
        return json_response(503, CONSUMERS_OFF)
    try:
        request = read_request(req, SEQUENTIAL.model)
    except RequestError as error:
        return json_response(400, error.body())
    payload = SEQUENTIAL.orchestration_input(request, get_policy())
    order_id = payload["input"]["order_id"]
    deadline = get_settings().saga_choreography_deadline_seconds
    try:
        remember_simulate(order_id, request)
        started = start_saga(get_pipeline(), payload["input"], payload["fingerprint"], deadline)
    except TechnicalFault as fault:
        log.error("choreography start of %s failed: %s", order_id, fault)
        return unavailable()
    # The choreography's saga id is the order id: there is one saga per order.
    return start_answer(req, STARTED[started], order_id, order_id, SEQUENTIAL.id_field)


@bp.route(route="saga/choreography/{order_id}/status", methods=["GET"])
def get_choreography_status(req: func.HttpRequest) -> func.HttpResponse:
    saga = state.read(get_store(), req.route_params.get("order_id", ""))
    return not_found() if saga is None else json_response(200, choreography_status(saga))
