"""Per-instance management operations (spec 9.2): raiseEvent, terminate, suspend, resume,
rewind (not supported) and restart. Unknown instance -> 404, finished instance -> 410."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web

from devhost.durable.store import InstanceRow
from devhost.management.api import (
    ManagementApi,
    check_status_payload,
    error_response,
    invalid_json,
    json_response,
)
from devhost.management.client_binding import WEBHOOK_PATH
from devhost.management.status import is_terminal, is_true

# Rewind is a preview feature of the extension (RewindAsync is marked obsolete) that several
# storage providers leave out; this host is one of them, and answers as the extension does then.
REWIND_UNSUPPORTED = "The method RewindAsync is not supported by the DevHost storage provider."

Handler = Callable[[web.Request, InstanceRow], Awaitable[web.Response]]


class InstanceOperations:
    def __init__(self, api: ManagementApi) -> None:
        self.api = api
        self.control = api.control

    def add_routes(self, app: web.Application) -> None:
        base = f"{WEBHOOK_PATH}/instances/{{id}}"
        routes: dict[str, Handler] = {
            "raiseEvent/{event}": self.raise_event,
            "terminate": self.terminate,
            "suspend": self.suspend,
            "resume": self.resume,
        }
        for path, handler in routes.items():
            app.router.add_post(f"{base}/{path}", self._running_only(handler))
        app.router.add_post(f"{base}/rewind", self.rewind)
        app.router.add_post(f"{base}/restart", self.restart)

    def _running_only(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def guarded(request: web.Request) -> web.Response:
            row = self.api.store.instance(request.match_info["id"])
            if row is None:
                return web.Response(status=404)
            if is_terminal(row):
                return web.Response(status=410)
            return await handler(request, row)

        return guarded

    async def raise_event(self, request: web.Request, row: InstanceRow) -> web.Response:
        if request.content_type.lower() != "application/json":
            return error_response(400, "Only application/json request content is supported")
        body = await request.read()
        try:
            parsed = json.loads(body) if body else None
        except ValueError as error:
            return invalid_json(error)
        self.control.raise_event(row.id, request.match_info["event"], json.dumps(parsed))
        return web.Response(status=202)

    async def terminate(self, request: web.Request, row: InstanceRow) -> web.Response:
        self.control.terminate(row.id, request.query.get("reason", ""))
        return web.Response(status=202)

    async def suspend(self, request: web.Request, row: InstanceRow) -> web.Response:
        if row.status != "Suspended":
            self.control.suspend(row.id)
        return web.Response(status=202)

    async def resume(self, request: web.Request, row: InstanceRow) -> web.Response:
        if row.status == "Suspended":
            self.control.resume(row.id)
        return web.Response(status=202)

    async def rewind(self, request: web.Request) -> web.Response:
        """As the extension's handler with a provider that cannot rewind: 404 and 410 first,
        then its catch-all 500 for the provider's NotImplementedException."""
        row = self.api.store.instance(request.match_info["id"])
        if row is None:
            return web.Response(status=404)
        if row.status in ("Completed", "Terminated", "Canceled"):
            return web.Response(status=410)
        return error_response(
            500,
            "Something went wrong while processing your request",
            REWIND_UNSUPPORTED,
            "System.NotImplementedException",
        )

    async def restart(self, request: web.Request) -> web.Response:
        """Start the orchestration again with the same input, by default under a new id."""
        row = self.api.store.instance(request.match_info["id"])
        if row is None:
            return web.Response(status=404)
        new_id = is_true(request.query, "restartWithNewInstanceId", True)
        instance_id = uuid.uuid4().hex if new_id else row.id
        self.control.start(row.name, instance_id, row.input)
        payload = check_status_payload(request, instance_id, self.api.task_hub)
        return json_response(payload, 202, Location=payload["statusQueryGetUri"])
