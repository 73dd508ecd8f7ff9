"""The dev host's event sources as one background service: the local Event Hubs (log, consumers,
publish endpoint, eventHub output sink) and the timer triggers."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from devhost.durable.clock import Clock
from devhost.events.bindings import find_eventhub_triggers
from devhost.events.hubs import DEFAULT_BATCH_SIZE, LocalEventHubs
from devhost.events.log import EventLog
from devhost.events.timer_triggers import TimerTriggers, find_timer_triggers
from devhost.functions.app_index import AppIndexError, FunctionIndex
from devhost.functions.invoker import FunctionInvoker
from devhost.services import HostContext

PUBLISH_PATH = "/runtime/webhooks/eventhubs/"
URL_SETTING = "DEVHOST_EVENTHUB_URL"


def event_services(context: HostContext) -> EventServices:
    """A default service of devhost.server. Exports DEVHOST_EVENTHUB_URL before any app code
    runs, so the app's build_publisher() picks the local bus; stop() restores the old value."""
    services = EventServices(
        context.index,
        context.invoker,
        context.clock,
        EventLog(event_log_path(context.state_path), now=context.clock.now),
        os.environ,
        batch_size(context.host_json),
        exports={URL_SETTING: context.base_url + PUBLISH_PATH},
    )
    services.add_routes(context.web_app)
    return services


def event_log_path(state_path: Path) -> str:
    """The event log lives beside the host's state: ``state.db`` -> ``state.events.db``."""
    return str(state_path.with_suffix(".events.db"))


def batch_size(host_json: Mapping[str, Any]) -> int:
    """``extensions.eventHubs.maxEventBatchSize`` from host.json, else Azure's default of 10."""
    event_hubs = host_json.get("extensions", {}).get("eventHubs", {})
    return int(event_hubs.get("maxEventBatchSize", DEFAULT_BATCH_SIZE))


class EventServices:
    """Starts and stops the Event Hubs consumers and timer loops; serves the publish endpoint."""

    def __init__(
        self,
        index: FunctionIndex,
        invoker: FunctionInvoker,
        clock: Clock,
        event_log: EventLog,
        env: Mapping[str, str],
        batch_size: int = DEFAULT_BATCH_SIZE,
        exports: Mapping[str, str] | None = None,
    ) -> None:
        functions = list(index.functions.values())
        try:
            eventhub_triggers = find_eventhub_triggers(functions, env)
            timer_triggers = find_timer_triggers(functions, env)
        except ValueError as exc:
            raise AppIndexError(str(exc)) from exc
        self.event_log = event_log
        self.hubs = LocalEventHubs(
            event_log, eventhub_triggers, invoker.invoke, clock, env, batch_size
        )
        self.timers = TimerTriggers(timer_triggers, invoker.invoke, clock, clock)
        invoker.register_output_sink("eventHub", self.hubs.output_sink)
        self._exported = {name: os.environ.get(name) for name in exports or {}}
        os.environ.update(exports or {})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(PUBLISH_PATH + "{hub}", self.handle_publish)

    async def start(self) -> None:
        await self.hubs.start()
        await self.timers.start()

    async def stop(self) -> None:
        await self.timers.stop()
        await self.hubs.stop()
        self.event_log.close()
        for name, previous in self._exported.items():  # in-process hosts in tests come and go
            if previous is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = previous

    async def handle_publish(self, request: web.Request) -> web.Response:
        """``{"events": [{"partition_key": str|null, "body": str}]}`` -> 202 once durable."""
        try:
            events = parse_publish_body(await request.read())
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.hubs.publish(request.match_info["hub"], events)
        return web.Response(status=202)


def parse_publish_body(raw: bytes) -> Sequence[tuple[str | None, str]]:
    """The ``(partition_key, body)`` pairs of a publish request; ValueError says what is wrong."""
    payload = json.loads(raw)
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        raise ValueError('expected {"events": [{"partition_key": ..., "body": ...}]}')
    pairs = []
    for event in events:
        key = event.get("partition_key") if isinstance(event, dict) else None
        body = event.get("body") if isinstance(event, dict) else None
        if not isinstance(body, str) or not isinstance(key, str | None):
            raise ValueError(f"each event needs a string body and a string or null key: {event!r}")
        pairs.append((key, body))
    return pairs
