"""`python -m devhost --app-dir DIR` from a folder that is neither the project nor the app (the
project is installed editable in its venv), and the real app started as the README shows it,
without EVENTHUB_NAME: the functions in error are named at start, and the choreography starter
refuses with 503 instead of starting a saga that would never move."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.conftest import HostFactory


def test_the_dev_host_runs_an_app_from_another_folder(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    app_dir, elsewhere = tmp_path / "my-app", tmp_path / "elsewhere"
    app_dir.mkdir()
    elsewhere.mkdir()
    shutil.copy(APPS_DIR / "durable_app.py", app_dir / "function_app.py")
    shutil.copy(APPS_DIR / "host.json", app_dir / "host.json")

    host = devhost_factory(app="function_app:app", app_dir=app_dir, cwd=elsewhere)
    status = host.client.wait(host.client.start("sequence", 1))

    assert (status["runtimeStatus"], status["output"]) == ("Completed", [2, 3, 4])


def test_without_eventhub_name_the_functions_in_error_are_named_and_no_saga_starts(
    devhost_factory: HostFactory,
) -> None:
    host = devhost_factory(env={"EVENTHUB_NAME": ""})

    reply = host.client.request(
        "POST", "/api/saga/choreography", {"order_id": "123", "amount": 100}
    )

    assert (reply.status, reply.json()["setting"]) == (503, "EVENTHUB_NAME")
    log = host.log()
    assert "The following 5 functions are in error:" in log
    for consumer in ("inventory", "payment", "shipping", "orders", "projector"):
        assert f"choreography_{consumer}: app setting 'EVENTHUB_NAME'" in log
    status = host.client.request("GET", "/api/saga/choreography/123/status")
    assert status.status == 404  # nothing was started
