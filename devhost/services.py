"""Extension point: background services started and stopped with the host (Event Hubs delivery,
timer triggers, ...). A ServiceFactory gets the HostContext and returns a service, or None when
the app has nothing for it; ``DevHost(options, factories)`` takes the list (devhost/README.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from devhost.durable.clock import Clock
from devhost.functions.app_index import FunctionIndex
from devhost.functions.invoker import FunctionInvoker


class BackgroundService(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class HostContext:
    """What a service may use. Add aiohttp routes to ``web_app`` inside the factory (the app is
    frozen once the host starts serving)."""

    index: FunctionIndex
    invoker: FunctionInvoker
    clock: Clock
    state_path: Path  # the orchestration store; put other state files beside it
    host_json: dict[str, Any]
    base_url: str
    web_app: web.Application


ServiceFactory = Callable[[HostContext], BackgroundService | None]
