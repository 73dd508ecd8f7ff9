"""The hot-SKU scenario (issue 11): closed-loop HTTP clients post the seeds' order with no items
(so every order reserves the default SKU) and poll its public status until the saga ends, on a
dev host started as ``make run`` starts it, the app's store on SQLite or the Cosmos test server.
Measured: when each saga ended, the largest inventory document, store round trips per step."""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devhost.testing.process import DevHostProcess
from tools.bench.load import Progress, in_threads
from tools.cosmos.server import EMULATOR_KEY, cosmos_endpoint
from tools.soak.client import Client, Watch

COUNTED_HOST = Path(__file__).with_name("counted_host.py")
POLL_S = 0.05  # between status reads, per client
START_TIMEOUT_S = 60  # a busy machine takes a while to import the app
INVENTORY = "inventory"  # the container (every version of the app names it so)
# Settings the app is started with, beside the store's.
APP_ENV = {"SAGA_SEED_DEMO_DATA": "true"}

NOT_STARTED = "not started (time budget spent)"

LargestDocument = Callable[[], int]


def hot_sku(
    store: str,
    orders: int,
    clients: int,
    tree: str,
    workdir: str,
    progress: Progress,
    version: str = "after",
    revision: str = "",
    budget_s: float | None = None,
) -> dict[str, Any]:
    """``orders`` sagas from ``clients`` clients on the app in ``tree`` (``version`` at
    ``revision``, carried into the result), store "sqlite" | "cosmos"; with ``budget_s`` no
    saga starts after that many seconds (the result says how many were served)."""
    folder, app = Path(workdir), Path(tree)
    counts_path = folder / "counts.json"
    with _store(store, app, folder) as (env, largest_document):
        env = {**APP_ENV, **env, "BENCH_COUNTS": str(counts_path)}
        host = DevHostProcess(folder, app_dir=app, env=env, entry=(str(COUNTED_HOST),), cwd=app)
        host.start(START_TIMEOUT_S)
        try:
            warm_up(host.base_url, clients)
            assert host.process is not None
            pid = host.process.pid
            statuses, wall_s, finished = closed_loop(
                host.base_url, orders, clients, progress, budget_s, lambda: process_cpu_s(pid)
            )
        finally:
            host.stop()
        largest = largest_document()
    counts = json.loads(counts_path.read_text()) if counts_path.exists() else {}
    return {
        "version": version,
        "revision": revision,
        "store": store,
        "orders": orders,
        "clients": clients,
        "statuses": statuses,
        "wall_s": wall_s,
        "finished_s": [t for t, _ in finished[1:]],
        # The host process's CPU seconds when the run started and as each saga ended: CPU per
        # saga does not depend on what else the machine runs, throughput does.
        "host_cpu_s": [cpu for _, cpu in finished],
        "largest_inventory_bytes": largest,
        "counts": counts,
    }


def closed_loop(
    base_url: str,
    orders: int,
    clients: int,
    progress: Progress,
    budget_s: float | None = None,
    cpu: Callable[[], float] = lambda: 0.0,
) -> tuple[dict[str, int], float, list[tuple[float, float]]]:
    """Outcomes, wall time, and (seconds since the start, ``cpu()``) at the start and as each
    saga ended, in time order."""
    client = Client(base_url, Watch(()))
    started = time.perf_counter()
    finished = [(0.0, cpu())]
    last_start = started + budget_s if budget_s else float("inf")

    def one(number: int) -> str:
        if time.perf_counter() > last_start:
            return NOT_STARTED
        status = run_order(client, f"hot-{number}")
        finished.append((time.perf_counter() - started, cpu()))
        return status

    run = in_threads(orders, clients, one, progress)
    return run.statuses, run.wall_s, sorted(finished)


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_up(base_url: str, clients: int) -> None:
    """One untimed saga per client: the first tenth then measures the host, not its first
    imports and connections."""
    client = Client(base_url, Watch(()))
    in_threads(clients, clients, lambda n: run_order(client, f"warm-up-{n}"), lambda _: None)


def run_order(client: Client, order_id: str) -> str:
    """Post the seeds' order (no items: the default SKU) and poll its status until it ends."""
    reply = client.post("/api/saga/sequential", {"order_id": order_id, "amount": 100})
    if reply.status not in (200, 202):
        return f"http {reply.status}"
    status_path = urlsplit(reply.json()["statusQueryGetUri"]).path
    while (body := client.get(status_path).json())["saga_status"] == "running":
        time.sleep(POLL_S)
    return str(body["saga_status"])


@contextmanager
def _store(store: str, app: Path, folder: Path) -> Iterator[tuple[dict[str, str], LargestDocument]]:
    """The app settings that select the store, and how to find its largest inventory document."""
    if store == "sqlite":
        path = folder / "saga.db"  # DevHostProcess sets SAGA_SQLITE_PATH to it
        yield {"SAGA_STORE": "sqlite"}, lambda: _largest(_sqlite_documents(path))
        return
    with cosmos_endpoint(app / "tools" / "cosmos") as endpoint:
        database = f"hot-{uuid.uuid4().hex[:8]}"
        env = {
            "SAGA_STORE": "cosmos",
            "COSMOS_ENDPOINT": endpoint,
            "COSMOS_KEY": EMULATOR_KEY,
            "COSMOS_DATABASE": database,
            "COSMOS_VERIFY_TLS": "false",
        }
        yield env, lambda: _largest(_cosmos_documents(endpoint, database))


def _largest(documents: Iterator[dict[str, Any]]) -> int:
    """Bytes of the largest document's JSON, store metadata (``_etag``, ``_ts``...) left out."""
    sizes = (
        len(json.dumps({k: v for k, v in doc.items() if not k.startswith("_")}).encode())
        for doc in documents
    )
    return max(sizes, default=0)


def _sqlite_documents(path: Path) -> Iterator[dict[str, Any]]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT body FROM documents WHERE container = ?", (INVENTORY,))
        yield from (json.loads(body) for (body,) in rows)
    finally:
        db.close()


def _cosmos_documents(endpoint: str, database: str) -> Iterator[dict[str, Any]]:
    from azure.cosmos import CosmosClient

    warnings.filterwarnings("ignore", message="Unverified HTTPS request")
    client = CosmosClient(endpoint, EMULATOR_KEY, connection_verify=False)
    container = client.get_database_client(database).get_container_client(INVENTORY)
    yield from container.query_items("SELECT * FROM c", enable_cross_partition_query=True)
