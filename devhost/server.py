"""The dev host: loads and indexes the app, serves /api and the Durable management API on one
port, runs the orchestration engine on SQLite, and starts the background services."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from devhost.dashboard.guard import binds_loopback
from devhost.dashboard.service import dashboard_service
from devhost.durable.clock import make_clock
from devhost.durable.engine import Engine
from devhost.durable.orchestrator_call import install_sdk_fast_paths
from devhost.durable.recovery import recover
from devhost.durable.store import Store
from devhost.durable.versioning import versioning_settings
from devhost.events.service import event_services
from devhost.functions import host_config
from devhost.functions.app_index import build_index, load_app
from devhost.functions.banner import banner
from devhost.functions.http_functions import HttpFunctions, http_routes
from devhost.functions.invoker import FunctionInvoker
from devhost.management.api import ManagementApi
from devhost.management.client_binding import client_binding_json
from devhost.management.control import InstanceControl
from devhost.management.entity_api import EntityApi
from devhost.management.instance_api import InstanceOperations
from devhost.services import BackgroundService, HostContext, ServiceFactory

log = logging.getLogger("devhost")

# The background services a host starts, in this order; they stop in reverse order.
DEFAULT_SERVICES: tuple[ServiceFactory, ...] = (event_services, dashboard_service)


@dataclass(frozen=True)
class HostOptions:
    app: str = "function_app"  # as the worker: the module's one FunctionApp
    host: str = "127.0.0.1"
    port: int = 7071  # 0: any free port
    state: Path = Path(".devhost/state.db")
    time: str = "real"  # or "virtual"
    app_dir: Path = field(default_factory=Path.cwd)


class DevHost:
    def __init__(
        self, options: HostOptions, factories: Sequence[ServiceFactory] = DEFAULT_SERVICES
    ) -> None:
        self.options = options
        self._factories = factories
        # Before the SDK is imported: it reads host.json too, and fails with a bare traceback.
        self.host_json = host_config.read_host_json(options.app_dir)
        install_sdk_fast_paths()
        host_config.load_local_settings(options.app_dir)
        self.index = build_index(load_app(options.app, options.app_dir))
        self.clock = make_clock(options.time)
        threads = int(os.environ.get("PYTHON_THREADPOOL_THREAD_COUNT", "8"))
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="devhost-fn")
        self.invoker = FunctionInvoker(self.index, self.pool, options.app_dir)
        self.store = Store(options.state)
        versioning = versioning_settings(self.host_json)
        self.engine = Engine(self.index, self.store, self.clock, self.invoker, versioning)
        self.engine.entities.batch_size = host_config.entity_batch_size(self.host_json)
        self.control = InstanceControl(self.engine)
        self.services: list[BackgroundService] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Serve, resume unfinished instances, start the services; returns the base URL."""
        self.clock.install()
        sock = socket.create_server((self.options.host, self.options.port))
        url_host = "127.0.0.1" if self.options.host in ("0.0.0.0", "") else self.options.host
        self.base_url = f"http://{url_host}:{sock.getsockname()[1]}"
        task_hub = host_config.task_hub(self.host_json)
        self.invoker.client_binding = client_binding_json(self.base_url, task_hub)
        web_app = web.Application()
        replace = host_config.replaces_running_instances(self.host_json)
        api = ManagementApi(self.control, task_hub, replace)
        api.add_routes(web_app)
        InstanceOperations(api).add_routes(web_app)
        entities = list(self.index.entities)
        EntityApi(self.engine.entities, self.store, entities).add_routes(web_app)
        context = HostContext(
            self.index,
            self.invoker,
            self.clock,
            self.options.state,
            self.host_json,
            self.base_url,
            web_app,
        )
        self.services = [s for f in self._factories if (s := f(context)) is not None]
        prefix = host_config.route_prefix(self.host_json)
        http = HttpFunctions(
            http_routes(self.index.by_trigger("httpTrigger")), self.invoker, prefix
        )
        http.add_routes(web_app)
        self._runner = web.AppRunner(web_app, access_log=None, handle_signals=False)
        await self._runner.setup()
        recover(self.engine)
        await web.SockSite(self._runner, sock).start()
        for service in self.services:
            await service.start()
        log.info("%s", banner(self.index, http.routes, self.base_url, prefix))
        if not binds_loopback(self.options.host):
            log.warning(
                "listening on %s, beyond loopback: other machines can reach the dev host and its "
                "management API; the dashboard refuses their write actions",
                self.options.host or "every address",
            )
        return self.base_url

    async def stop(self) -> None:
        for service in reversed(self.services):
            await service.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        await self.engine.runner.stop()
        await self.engine.entities.stop()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.store.close()
        self.clock.uninstall()
