"""In-process dev host fixtures: the real SDK replayed through the host, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devhost.testing.client import HostClient
from tests.devhost_apps.inprocess import InProcessHost


@pytest.fixture
def host(tmp_path: Path) -> Iterator[InProcessHost]:
    with InProcessHost(tmp_path / "state.db") as running:
        yield running


@pytest.fixture
def client(host: InProcessHost) -> HostClient:
    return host.client


@pytest.fixture
def virtual_client(tmp_path: Path) -> Iterator[HostClient]:
    """A host on virtual time: durable timers fire as soon as nothing else can run."""
    with InProcessHost(tmp_path / "state.db", virtual=True) as running:
        yield running.client
