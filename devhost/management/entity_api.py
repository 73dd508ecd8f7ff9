"""The entity routes of the management API (spec 11.5): signal an entity (POST with ``op``, or
DELETE for the "delete" operation), read its state, and list entities by name with their last
operation time and, with ``fetchState=true``, their state."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from devhost.durable import history
from devhost.durable.entities import messages
from devhost.durable.entities.scheduler import EntityScheduler
from devhost.durable.entities.store import EntityRow
from devhost.durable.store import Store
from devhost.management.api import json_response
from devhost.management.client_binding import WEBHOOK_PATH
from devhost.management.status import is_true, query_time

CONTINUATION = "x-ms-continuation-token"
EMPTY_KEY = "$"  # how a URL names the empty key


class EntityApi:
    def __init__(self, scheduler: EntityScheduler, store: Store, entity_names: list[str]) -> None:
        self.scheduler = scheduler
        self.store = store
        self.entity_names = entity_names  # lowercased, as entity ids carry them

    def add_routes(self, app: web.Application) -> None:
        base = f"{WEBHOOK_PATH}/entities"
        for path in (base, f"{base}/", f"{base}/{{name}}"):
            app.router.add_get(path, self.list_entities)
        app.router.add_get(f"{base}/{{name}}/{{key}}", self.read_state)
        app.router.add_post(f"{base}/{{name}}/{{key}}", self.signal)
        app.router.add_delete(f"{base}/{{name}}/{{key}}", self.signal)

    async def signal(self, request: web.Request) -> web.Response:
        name, key = request.match_info["name"].lower(), request.match_info["key"]
        operation = "delete" if request.method == "DELETE" else request.query.get("op")
        if name not in self.entity_names:
            return _bad_request(messages.unknown_entity(name, self.entity_names))
        if problem := messages.key_error(key):
            return _bad_request(problem)
        if not operation:
            return _bad_request("The query parameter 'op' (the operation to signal) is required.")
        body = await request.text()
        input_text = None
        if body and request.content_type == "application/json":
            try:
                input_text = json.dumps(json.loads(body))
            except ValueError as error:
                return _bad_request(f"Could not parse JSON content: {error}")
        elif body:  # any other content is the input as a string
            input_text = json.dumps(body)
        self.scheduler.signal(messages.entity_id(name, key), operation, input_text)
        return web.Response(status=202)

    async def read_state(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        entity_id = messages.entity_id(request.match_info["name"], "" if key == EMPTY_KEY else key)
        row = self.store.entity(entity_id)
        if row is None:
            return web.Response(status=404)
        return web.Response(text=_state_text(row), content_type="application/json")

    async def list_entities(self, request: web.Request) -> web.Response:
        query = request.query
        try:
            times = [
                _time(query, name) for name in ("lastOperationTimeFrom", "lastOperationTimeTo")
            ]
            top = int(query.get("top") or 0)
            start = int(request.headers.get(CONTINUATION) or 0)
        except ValueError as error:
            return _bad_request(str(error))
        name = request.match_info.get("name")
        rows = self.store.entities(name.lower() if name else None, *times)
        page = rows[start : start + top] if top > 0 else rows[start:]
        fetch_state = is_true(query, "fetchState", False)
        reply = json_response([_status(row, fetch_state) for row in page])
        if start + len(page) < len(rows):  # the next page starts there
            reply.headers[CONTINUATION] = str(start + len(page))
        return reply


def _status(row: EntityRow, fetch_state: bool) -> dict[str, Any]:
    return {
        "entityId": {"name": row.name, "key": row.key},
        "lastOperationTime": row.updated,
        "state": json.loads(_state_text(row)) if fetch_state else None,
    }


def _state_text(row: EntityRow) -> str:
    """The state as JSON; the SDK always writes JSON, anything else is passed on as a string."""
    try:
        json.loads(row.state or "null")
    except ValueError:
        return json.dumps(row.state)
    return row.state or "null"


def _time(query: Any, name: str) -> str | None:
    value = query.get(name)
    return history.iso(query_time(name, value)) if value else None


def _bad_request(message: str) -> web.Response:
    return json_response({"Message": message}, 400)
