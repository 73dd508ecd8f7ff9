"""Browser-test fixtures: the real app on the dev host with one saga of each outcome, a second
host of the test app over a seeded state file, and headless Chromium pages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from devhost.testing.chromium import chromium
from devhost.testing.process import DevHostProcess
from tests.devhost_apps.inprocess import APPS_DIR
from tests.e2e.saga_api import SagaApi
from tools.dashboard_bench.seed import seed_state

# Setting values no page may ever show.
SECRETS = {
    "COSMOS_KEY": "c2VjcmV0LWNhbmFyeS1jb3Ntb3Mta2V5",
    "EVENTHUB_CONNECTION": "Endpoint=sb://x/;SharedAccessKey=secret-canary-eventhub",
    "AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountKey=secret-canary-storage",
}
APP_ENV = {
    "SAGA_FAULT_INJECTION": "true",
    "SAGA_STEP_TIMEOUT_SECONDS": "2",
    "SAGA_RETRY_FIRST_INTERVAL_MS": "20",
    "SAGA_COMPENSATION_MAX_ATTEMPTS": "3",
    **SECRETS,
}
# One saga of each outcome: (start route, body, instance id, status route kind).
SAGAS = {
    "completed": ("/api/saga/sequential", {"order_id": "ok-1", "amount": 10}, "sequential-ok-1"),
    "compensated": (
        "/api/saga/sequential",
        {"order_id": "big-1", "amount": 200000},
        "sequential-big-1",
    ),
    "compensation_failed": (
        "/api/saga/sequential",
        {
            "order_id": "f-4",
            "amount": 5,
            "simulate": {"fail_at": "shipping", "fail_compensation": {"payment": 100}},
        },
        "sequential-f-4",
    ),
    "parallel_failed_branch": (
        "/api/saga/parallel",
        {"batch_id": "p-oos", "items": ["a", {"sku": "limited-edition", "quantity": 6}, "c"]},
        "parallel-p-oos",
    ),
}
CHOREOGRAPHY_ORDER = "ch-1"
SEEDED = 120


@pytest.fixture(scope="session")
def saga_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHostProcess]:
    """The real app with every saga outcome run to its end."""
    host = DevHostProcess(Path(tmp_path_factory.mktemp("sagas")), env=APP_ENV).start()
    api = SagaApi(host.base_url)
    for path, body, _ in SAGAS.values():
        assert api.post(path, body)[0] == 202
    api.post("/api/saga/choreography", {"order_id": CHOREOGRAPHY_ORDER, "amount": 100})
    for _, _, instance_id in SAGAS.values():
        api.wait_until_done(instance_id)
    api.wait_until_done(CHOREOGRAPHY_ORDER, kind="choreography")
    yield host
    host.stop()


@pytest.fixture(scope="session")
def test_app_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHostProcess]:
    """The dev host's test app over a state file seeded with finished instances."""
    workdir = Path(tmp_path_factory.mktemp("seeded"))
    host = DevHostProcess(workdir, app="durable_app:app", app_dir=APPS_DIR)
    seed_state(host.state_path, SEEDED)
    yield host.start()
    host.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API holds an event loop on the main thread
    # while it runs, and the tests after these call asyncio.run().
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    errors: list[Any] = []
    opened.on("pageerror", lambda error: errors.append(error))
    yield opened
    context.close()
    assert not errors, f"the page raised: {errors}"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/ when DASHBOARD_SCREENSHOTS=docs (to refresh the README's)."""
    if os.environ.get("DASHBOARD_SCREENSHOTS") == "docs":
        return Path(__file__).resolve().parents[2] / "docs"
    return tmp_path
