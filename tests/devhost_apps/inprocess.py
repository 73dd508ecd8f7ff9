"""Run a DevHost in this process, on an event loop thread, for fast tests over HTTP. All hosts
share one loop, as a real worker process has one: the Durable SDK keeps a process-wide HTTP
session bound to the loop it was first used on."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from devhost.server import DevHost, HostOptions
from devhost.testing.client import HostClient

APPS_DIR = Path(__file__).resolve().parent
T = TypeVar("T")


class InProcessHost:
    """``with InProcessHost(state, virtual=True) as host: host.client.start(...)``"""

    def __init__(
        self,
        state: Path,
        virtual: bool = False,
        app: str = "durable_app:app",
        app_dir: Path = APPS_DIR,
    ) -> None:
        self.options = HostOptions(
            app, "127.0.0.1", 0, state, "virtual" if virtual else "real", app_dir
        )
        self._loop = _shared_loop()
        self.host: DevHost | None = None

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the host's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    def __enter__(self) -> InProcessHost:
        self.host = self.run(self._create())
        self.client = HostClient(self.run(self.host.start()))
        return self

    async def _create(self) -> DevHost:
        return DevHost(self.options)  # on the loop thread: SQLite connections are per thread

    def __exit__(self, *exc_info: object) -> None:
        assert self.host is not None
        self.run(self.host.stop())


_LOOP: list[asyncio.AbstractEventLoop] = []


def _shared_loop() -> asyncio.AbstractEventLoop:
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
        threading.Thread(target=_LOOP[0].run_forever, daemon=True, name="devhost-loop").start()
    return _LOOP[0]
