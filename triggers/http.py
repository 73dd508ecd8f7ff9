"""HTTP API of the orchestrated sagas: idempotent starters and the public status route.

Clients never see the Durable management URLs (in Azure they carry the system key); the status
route below is the public surface.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from composition import get_settings
from observability import log_event
from triggers.sagas import KINDS, SagaKind
from triggers.status import public_status
from triggers.validation import RequestError, parse_body, validate

bp = df.Blueprint()
log = logging.getLogger(__name__)


@bp.route(route="saga/sequential", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def start_sequential_saga(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    return await start_saga(req, client, KINDS["sequential"])


@bp.route(route="saga/parallel", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def start_parallel_saga(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    return await start_saga(req, client, KINDS["parallel"])


@bp.route(route="saga/{instance_id}/status", methods=["GET"])
@bp.durable_client_input(client_name="client")
async def get_saga_status(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    instance_id = req.route_params.get("instance_id", "")
    body = await public_status(client, instance_id)
    if body is None:
        return json_response(404, {"error": "not_found", "message": "no saga with this id"})
    return json_response(200, body)


async def start_saga(req: func.HttpRequest, client: Any, kind: SagaKind) -> func.HttpResponse:
    """Validate, then start the saga once: the same order again returns the same instance."""
    settings = get_settings()
    try:
        data = parse_body(req.get_body(), req.headers.get("content-type"))
        request = validate(kind.model, data, settings.saga_max_items, settings.saga_fault_injection)
    except RequestError as error:
        return json_response(400, error.body())
    payload = kind.orchestration_input(request, settings)
    instance_id = kind.instance_id(payload["order"]["order_id"])
    try:
        started = await _start_once(client, kind, instance_id, payload)
    except Exception:
        # The Durable backend is unreachable: the client may retry (starting is idempotent).
        log.exception("saga start failed for %s", instance_id)
        return json_response(
            503, {"error": "unavailable", "message": "try again shortly"}, {"Retry-After": "5"}
        )
    if started is None:
        return json_response(
            409,
            {
                "error": "conflict",
                "field": kind.id_field,
                "message": f"{kind.id_field} '{payload['order']['order_id']}'"
                " was already used for a different request",
            },
        )
    log_event(
        log,
        logging.INFO,
        "saga_started" if started else "saga_start_repeated",
        saga_id=instance_id,
        order_id=payload["order"]["order_id"],
        correlation_id=instance_id,
    )
    return _accepted(req, instance_id, 202 if started else 200)


async def _start_once(
    client: Any, kind: SagaKind, instance_id: str, payload: dict[str, Any]
) -> bool | None:
    """True when started now, False when the same request already runs, None on a conflict."""
    existing = await client.get_status(instance_id, show_input=True)
    if not existing:
        try:
            await client.start_new(kind.orchestrator, instance_id, payload)
            return True
        except Exception:
            # A concurrent start with the same id won the race (the host refuses to replace a
            # running instance); fall through and compare with what it started.
            existing = await client.get_status(instance_id, show_input=True)
            if not existing:
                raise
    return False if _stored_fingerprint(existing.input_) == payload["fingerprint"] else None


def _stored_fingerprint(stored_input: Any) -> str | None:
    data = json.loads(stored_input) if isinstance(stored_input, str) else stored_input
    return data.get("fingerprint") if isinstance(data, dict) else None


def _accepted(req: func.HttpRequest, instance_id: str, status: int) -> func.HttpResponse:
    status_url = f"{req.url[: req.url.rfind('/saga/')]}/saga/{instance_id}/status"
    body = {"id": instance_id, "statusQueryGetUri": status_url}
    return json_response(status, body, {"Location": status_url, "Retry-After": "1"})


def json_response(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> func.HttpResponse:
    return func.HttpResponse(
        json.dumps(body), status_code=status, headers=headers, mimetype="application/json"
    )
