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

from composition import get_policy
from triggers.responses import (
    json_response,
    not_found,
    read_request,
    remember_simulate,
    start_answer,
    unavailable,
)
from triggers.sagas import KINDS, SagaKind
from triggers.status import orchestrated_status
from triggers.validation import RequestError

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
    body = await orchestrated_status(client, instance_id)
    return not_found() if body is None else json_response(200, body)


async def start_saga(req: func.HttpRequest, client: Any, kind: SagaKind) -> func.HttpResponse:
    """Validate, then start the saga once: the same order again returns the same instance."""
    try:
        request = read_request(req, kind.model)
    except RequestError as error:
        return json_response(400, error.body())
    payload = kind.orchestration_input(request, get_policy())
    order_id = payload["input"]["order_id"]
    saga_id = kind.instance_id(order_id)
    try:
        remember_simulate(order_id, request)
        started = await _start_once(client, kind, saga_id, payload)
    except Exception:
        # The Durable backend is unreachable: the client may retry (starting is idempotent).
        log.exception("saga start failed for %s", saga_id)
        return unavailable()
    return start_answer(req, started, saga_id, order_id, kind.id_field)


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
