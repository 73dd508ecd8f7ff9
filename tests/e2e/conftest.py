"""Fixtures for end-to-end tests: the dev host as a subprocess, on a free port, with temp state.

``devhost``: the real app (function_app:app) with a temp SAGA_SQLITE_PATH; ``.base_url``,
``.client``, ``.store_path``, ``.kill()``, ``.restart()`` (kill -9, then start on the same state).
``devhost_factory(app=..., app_dir=..., env=..., virtual=...)``: more hosts, all stopped at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from devhost.testing.process import DevHostProcess

HostFactory = Callable[..., DevHostProcess]


@pytest.fixture(scope="module")
def devhost_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostFactory]:
    started: list[DevHostProcess] = []

    def start(**options: Any) -> DevHostProcess:
        host = DevHostProcess(Path(tmp_path_factory.mktemp("devhost")), **options)
        started.append(host)
        return host.start()

    yield start
    for host in started:
        host.stop()


@pytest.fixture
def devhost(devhost_factory: HostFactory) -> Iterator[DevHostProcess]:
    """The real app on the dev host, fresh state per test."""
    host = devhost_factory()
    yield host
    host.stop()
