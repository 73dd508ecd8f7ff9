"""The Durable HTTP management API under /runtime/webhooks/durabletask (spec 9): start, status,
query and purge here; per-instance operations in instance_api."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import web

from devhost.durable.store import TERMINAL
from devhost.management import paging, status
from devhost.management.client_binding import WEBHOOK_PATH, hub_query, management_urls
from devhost.management.condensed_history import condense
from devhost.management.control import InstanceControl

JSON_READER_EXCEPTION = "Newtonsoft.Json.JsonReaderException"


def json_response(body: Any, status_code: int = 200, **headers: str) -> web.Response:
    return web.Response(
        status=status_code, text=json.dumps(body), content_type="application/json", headers=headers
    )


def error_response(
    status_code: int, message: str, exception: str | None = None, exception_type: str = ""
) -> web.Response:
    """An error as the extension answers it (ASP.NET's HttpError): a Message, and with an
    exception its message and .NET type."""
    body = {"Message": message}
    if exception is not None:
        body |= {"ExceptionMessage": exception, "ExceptionType": exception_type}
    return json_response(body, status_code)


def invalid_json(error: ValueError) -> web.Response:
    return error_response(400, "Invalid JSON content", str(error), JSON_READER_EXCEPTION)


def check_status_payload(request: web.Request, instance_id: str, task_hub: str) -> dict[str, str]:
    return management_urls(str(request.url.origin()), instance_id, hub_query(task_hub))


class ManagementApi:
    def __init__(self, control: InstanceControl, task_hub: str, replace_running: bool) -> None:
        self.control = control
        self.store = control.store
        self.task_hub = task_hub
        # host.json overridableExistingInstanceStates: AnyState (True) or NonRunningStates.
        self.replace_running = replace_running

    def add_routes(self, app: web.Application) -> None:
        base = WEBHOOK_PATH
        app.router.add_post(f"{base}/orchestrators/{{name}}", self.start)
        app.router.add_post(f"{base}/orchestrators/{{name}}/{{id}}", self.start)
        app.router.add_get(f"{base}/instances", self.query)
        app.router.add_get(f"{base}/instances/", self.query)
        app.router.add_delete(f"{base}/instances", self.purge_many)
        app.router.add_delete(f"{base}/instances/", self.purge_many)
        app.router.add_get(f"{base}/instances/{{id}}", self.get_status)
        app.router.add_delete(f"{base}/instances/{{id}}", self.purge)

    async def start(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.control.engine.index.orchestrators:
            message = (
                f"The function '{name}' doesn't exist, is disabled, "
                "or is not an orchestrator function."
            )
            return error_response(
                400,
                "One or more of the arguments submitted is incorrect",
                message,
                "System.ArgumentException",
            )
        body = await request.read()
        try:
            parsed = json.loads(body) if body else None
        except ValueError as error:
            return invalid_json(error)
        # The Python client posts the input already serialized: that string is the JSON text.
        input_text = parsed if isinstance(parsed, str) or not body else json.dumps(parsed)
        instance_id = request.match_info.get("id") or uuid.uuid4().hex
        existing = self.store.instance(instance_id)
        if existing and existing.status in status.RUNNING_STATES and not self.replace_running:
            # The extension's start throws InvalidOperationException, which its HTTP handler
            # answers with its catch-all 500.
            message = f"An Orchestration instance with the status {existing.status} already exists."
            return error_response(
                500,
                "Something went wrong while processing your request",
                message,
                "System.InvalidOperationException",
            )
        self.control.start(name, instance_id, input_text, request.query.get("version"))
        if "timeout" in request.query and "pollingInterval" in request.query:
            return await self._wait_response(request, instance_id, float(request.query["timeout"]))
        return self._accepted(request, instance_id)

    def _accepted(self, request: web.Request, instance_id: str) -> web.Response:
        payload = check_status_payload(request, instance_id, self.task_hub)
        location = payload["statusQueryGetUri"]
        return json_response(payload, 202, Location=location, **{"Retry-After": "10"})

    async def _wait_response(
        self, request: web.Request, instance_id: str, timeout: float
    ) -> web.Response:
        try:
            await asyncio.wait_for(self.control.engine.wait(instance_id), timeout)
        except TimeoutError:
            return self._accepted(request, instance_id)
        row = self.store.instance(instance_id)
        assert row is not None
        if row.status == "Completed":
            return json_response(json.loads(row.output or "null"))
        return json_response(status.status_body(row), 500 if row.status == "Failed" else 200)

    async def get_status(self, request: web.Request) -> web.Response:
        row = self.store.instance(request.match_info["id"])
        if row is None:
            return web.Response(status=404)
        query = request.query
        body = status.status_body(row, status.is_true(query, "showInput", True))
        if status.is_true(query, "showHistory", False):
            body["historyEvents"] = condense(
                [json.loads(event) for event in self.store.history(row.id)],
                status.is_true(query, "showInput", True),
                status.is_true(query, "showHistoryOutput", False),
            )
        if row.status in status.RUNNING_STATES:
            location = str(request.url)
            return json_response(body, 202, Location=location, **{"Retry-After": "5"})
        failed = row.status == "Failed" and status.is_true(
            query, "returnInternalServerErrorOnFailure", False
        )
        return json_response(body, 500 if failed else 200)

    async def query(self, request: web.Request) -> web.Response:
        """A page of ``top`` instances; ``x-ms-continuation-token`` says where the next starts."""
        query = request.query
        try:
            page = paging.page_from(
                query.get("top"),
                request.headers.get(paging.CONTINUATION_HEADER),
                status.is_true(query, paging.NEWEST_FIRST_PARAM, False),
            )
            where, args = status.instance_filter(query)
        except ValueError as error:
            return json_response(str(error), 400)
        after, after_args = page.condition()
        rows = self.store.instances(
            f"({where}) AND {after}", (*args, *after_args), page.order(), page.limit()
        )
        headers = {}
        if page.size is not None and len(rows) > page.size:
            rows = rows[: page.size]
            headers[paging.CONTINUATION_HEADER] = paging.encode_token(rows[-1].created, rows[-1].id)
        show_input = status.is_true(query, "showInput", True)
        return json_response([status.status_body(r, show_input) for r in rows], 200, **headers)

    async def purge(self, request: web.Request) -> web.Response:
        if self.store.instance(request.match_info["id"]) is None:
            return web.Response(status=404)
        return json_response({"instancesDeleted": self.control.purge([request.match_info["id"]])})

    async def purge_many(self, request: web.Request) -> web.Response:
        """Purge by creation time and status. As the Durable backends do, only ended instances
        are purged (a non-terminal runtimeStatus is ignored); unlike Azure Storage, which purges
        every status when runtimeStatus is left out, the dev host then purges the ended ones."""
        if not request.query.get("createdTimeFrom"):
            return json_response("Please provide value for 'createdTimeFrom' parameter.", 400)
        try:
            where, args = status.instance_filter(request.query, TERMINAL, only=TERMINAL)
        except ValueError as error:
            return json_response(str(error), 400)
        deleted = self.control.purge([r.id for r in self.store.instances(where, args)])
        return json_response({"instancesDeleted": deleted}, 200 if deleted else 404)
