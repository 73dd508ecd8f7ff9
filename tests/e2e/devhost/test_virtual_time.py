"""``--time virtual``: a subprocess host skips to the next durable timer when it is idle."""

from __future__ import annotations

from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.conftest import HostFactory


def test_a_one_hour_deadline_passes_at_once_under_virtual_time(
    devhost_factory: HostFactory,
) -> None:
    host = devhost_factory(app="durable_app:app", app_dir=APPS_DIR, virtual=True)

    status = host.client.wait(host.client.start("approval", 1), timeout=5)

    assert status["output"] == "timed out"
