"""The dashboard as a dev-host service (devhost.services): serves the static pages at /dashboard
and the read-only JSON endpoints under /devhost/ that the management API lacks."""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from devhost.dashboard import event_view, instance_stats
from devhost.dashboard.guard import guard_browser_writes
from devhost.events.bindings import find_eventhub_triggers
from devhost.events.service import event_log_path

if TYPE_CHECKING:
    from devhost.services import HostContext

STATIC = Path(__file__).parent / "static"
PATH = "/dashboard"


def dashboard_service(context: HostContext) -> Dashboard:
    """The service factory: the dashboard's routes and the write guard on the host's app."""
    try:
        triggers = find_eventhub_triggers(context.index.functions.values(), os.environ)
    except ValueError:  # the event services report this at start
        triggers = []
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for trigger in triggers:
        groups[trigger.hub][trigger.consumer_group].append(trigger.name)
    dashboard = Dashboard(context.state_path, {h: dict(g) for h, g in groups.items()})
    dashboard.add_routes(context.web_app)
    context.web_app.middlewares.append(guard_browser_writes)
    return dashboard


class Dashboard:
    def __init__(self, state_path: Path, groups: dict[str, dict[str, list[str]]]) -> None:
        self._state_path = state_path
        self._groups = groups
        self._connections: dict[Path, sqlite3.Connection] = {}

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(PATH, self.index)
        app.router.add_get(f"{PATH}/", self.index)
        app.router.add_static(f"{PATH}/static", STATIC, append_version=False)
        app.router.add_get("/devhost/instances/summary", self.instance_summary)
        app.router.add_get("/devhost/eventhubs", self.eventhubs)
        app.router.add_get("/devhost/eventhubs/{hub}/keys/{key}", self.key_events)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        for connection in self._connections.values():
            connection.close()

    async def index(self, request: web.Request) -> web.StreamResponse:
        if request.path == PATH:  # relative asset links need the trailing slash
            raise web.HTTPFound(f"{PATH}/")
        return web.FileResponse(STATIC / "index.html")

    async def instance_summary(self, request: web.Request) -> web.Response:
        return web.json_response(instance_stats.instance_summary(self._db(self._state_path)))

    async def eventhubs(self, request: web.Request) -> web.Response:
        db = self._events_db()
        body = event_view.hubs_overview(db, self._groups) if db else {"hubs": []}
        return web.json_response(body)

    async def key_events(self, request: web.Request) -> web.Response:
        hub, key = request.match_info["hub"], request.match_info["key"]
        groups = self._groups.get(hub, {})
        db = self._events_db()
        if db is None:
            return web.json_response(event_view.key_events_empty(hub, key, groups))
        return web.json_response(event_view.key_events(db, hub, key, groups))

    def _events_db(self) -> sqlite3.Connection | None:
        path = Path(event_log_path(self._state_path))
        return self._db(path) if path.exists() else None

    def _db(self, path: Path) -> sqlite3.Connection:
        if path not in self._connections:
            self._connections[path] = instance_stats.open_read_only(path)
        return self._connections[path]
