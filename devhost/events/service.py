"""The dev host's event sources as one background service: the local Event Hubs (log, consumers,
publish endpoint, eventHub output sink) and the timer triggers.

The host is the Event Hubs of every eventHub binding it serves: it sets each binding's connection
setting to a connection string for its own publish endpoint, which speaks the Event Hubs REST API
("Send event", "Send batch events"), so the app publishes through its ordinary configuration."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiohttp import web

from devhost.durable.clock import Clock
from devhost.events.bindings import find_eventhub_triggers
from devhost.events.deliveries import DeliveryLog
from devhost.events.hubs import DEFAULT_BATCH_SIZE, LocalEventHubs
from devhost.events.log import EventLog
from devhost.events.rest_api import PUBLISH_PATH, local_connection, published_events
from devhost.events.timer_triggers import TimerTriggers, find_timer_triggers
from devhost.functions.app_index import AppIndexError, FunctionIndex
from devhost.functions.invoker import FunctionInvoker
from devhost.services import HostContext

log = logging.getLogger("devhost")


def event_services(context: HostContext) -> EventServices:
    """A default service of devhost.server. Sets the eventHub bindings' connection settings to
    the local Event Hubs before the app publishes anything; stop() restores the old values."""
    connection = local_connection(context.base_url)
    services = EventServices(
        context.index,
        context.invoker,
        context.clock,
        EventLog(event_log_path(context.state_path), now=context.clock.now),
        os.environ,
        batch_size(context.host_json),
        DeliveryLog(event_log_path(context.state_path), now=context.clock.now),
        exports={name: connection for name in connection_settings(context.index)},
    )
    services.add_routes(context.web_app)
    return services


def connection_settings(index: FunctionIndex) -> list[str]:
    """The settings the app's eventHub bindings name as their ``connection``, sorted."""
    names = {
        binding["connection"]
        for function in index.functions.values()
        for binding in function.bindings
        if binding.get("type") in ("eventHubTrigger", "eventHub") and binding.get("connection")
    }
    return sorted(names)


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
        deliveries: DeliveryLog | None = None,
        exports: Mapping[str, str] | None = None,
    ) -> None:
        functions = list(index.functions.values())
        try:
            eventhub_triggers = find_eventhub_triggers(functions, env, index.errors)
            timer_triggers = find_timer_triggers(functions, env, index.errors)
        except ValueError as exc:
            raise AppIndexError(str(exc)) from exc
        self.event_log = event_log
        self.hubs = LocalEventHubs(
            event_log, eventhub_triggers, invoker.invoke, clock, env, batch_size, deliveries
        )
        self.timers = TimerTriggers(timer_triggers, invoker.invoke, clock, clock)
        invoker.register_output_sink("eventHub", self.hubs.output_sink)
        self._exported = {name: os.environ.get(name) for name in exports or {}}
        for name in exports or {}:
            log.info("app setting %s: the dev host's local Event Hubs", name)
        os.environ.update(exports or {})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(PUBLISH_PATH + "{hub}/messages", self.handle_publish)

    async def start(self) -> None:
        await self.hubs.start()
        await self.timers.start()

    async def stop(self) -> None:
        await self.timers.stop()
        await self.hubs.stop()
        self.event_log.close()
        if self.hubs.deliveries is not None:
            self.hubs.deliveries.close()
        for name, previous in self._exported.items():  # in-process hosts in tests come and go
            if previous is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = previous

    async def handle_publish(self, request: web.Request) -> web.Response:
        """Event Hubs' "Send event" or "Send batch events": 201 once the events are durable."""
        try:
            events = await published_events(request)
        except (ValueError, UnicodeDecodeError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        self.hubs.publish(request.match_info["hub"], events)
        return web.Response(status=201)
