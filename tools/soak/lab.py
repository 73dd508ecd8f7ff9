"""The soak's workbench: how big each scenario is, the dev hosts it starts (temp state, seeded
stock, planted secrets that must never show) and how progress is reported."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.sqlite import SqliteStore
from devhost.testing.process import DevHostProcess
from saga.seed import DEMO_SKUS, DEMO_STOCK, SCARCE_SKU, SCARCE_STOCK, ensure_item
from tools.soak.client import Client, Watch

# progress(description, total) -> update(done); the CLI draws bars, tests pass no_progress.
Progress = Callable[[str, int], Callable[[int], None]]

# Planted in every host's settings; the soak looks for it in responses, logs and inputs.
SECRET = "soak-planted-secret-7f3a9c"
SECRET_SETTINGS = {
    "COSMOS_KEY": f"{SECRET}-cosmos",
    # Replaced by the dev host's own local Event Hubs connection once it starts.
    "EVENTHUB_CONNECTION": f"Endpoint=sb://soak.invalid/;SharedAccessKey={SECRET}-publisher",
}
# Fault injection on, quick retries: faults cost milliseconds, not seconds.
FAULTY = {
    "SAGA_FAULT_INJECTION": "true",
    "SAGA_RETRY_FIRST_INTERVAL_MS": "20",
    "SAGA_RETRY_MAX_ATTEMPTS": "4",
    "SAGA_COMPENSATION_MAX_ATTEMPTS": "6",
}
REAL_APP = "function_app:app"


def no_progress(description: str, total: int) -> Callable[[int], None]:
    return lambda done: None


@dataclass(frozen=True)
class Scale:
    """How many of everything: ``FULL`` for ``make soak``, ``CI`` for tests/e2e/reliability."""

    name: str
    random_sagas: int
    crash_sagas: int
    crash_kills: int
    redelivery_sagas: int
    repeated_orders: int
    compensation_faults: tuple[int, ...]
    hostile_payloads: int
    status_probes: int
    late_rounds: int
    contenders: int = 100
    hot_stock: int = 60
    settle_seconds: float = 240


FULL = Scale("full", 2_000, 50, 5, 40, 10, (1, 2, 3, 4, 5), 10_000, 1_000, 5)
CI = Scale("ci", 200, 12, 2, 12, 2, (1, 5), 1_000, 200, 1, settle_seconds=60)


def catalogue_stock(extra: Mapping[str, int] | None = None) -> dict[str, int]:
    """Initial stock per SKU: the demo catalogue the app seeds, plus what a scenario adds."""
    return {**dict.fromkeys(DEMO_SKUS, DEMO_STOCK), SCARCE_SKU: SCARCE_STOCK, **(extra or {})}


@dataclass
class Lab:
    """Starts dev hosts in ``workdir`` and stops them all on ``close``."""

    workdir: Path
    scale: Scale
    seed: int = 1
    progress: Progress = no_progress
    watch: Watch = field(default_factory=lambda: Watch((SECRET,)))
    hosts: list[DevHostProcess] = field(default_factory=list)
    stores: list[SqliteStore] = field(default_factory=list)
    audited: set[int] = field(default_factory=set)

    def host(
        self,
        env: Mapping[str, str] | None = None,
        stock: Mapping[str, int] | None = None,
        app: str = REAL_APP,
    ) -> DevHostProcess:
        """A started host on fresh state; ``stock`` SKUs are in its store before it starts."""
        workdir = self.workdir / f"host-{len(self.hosts)}"
        workdir.mkdir(parents=True)
        host = DevHostProcess(workdir, app=app, env={**SECRET_SETTINGS, **(env or {})})
        if stock:
            store = SqliteStore(str(host.store_path))
            for sku, quantity in stock.items():
                ensure_item(store, sku, quantity, price_minor=100)
            store.close()
        self.hosts.append(host)
        return host.start()

    def client(self, host: DevHostProcess) -> Client:
        return Client(host.base_url, self.watch)

    def store(self, host: DevHostProcess) -> SqliteStore:
        """The host's app store, opened beside the running host (SQLite WAL allows it)."""
        self.stores.append(SqliteStore(str(host.store_path)))
        return self.stores[-1]

    def audit(self) -> None:
        """Hand every host's orchestration inputs and log to the watch (once per host)."""
        for number, host in enumerate(self.hosts):
            if number in self.audited:
                continue
            self.audited.add(number)
            if host.process is not None and host.process.poll() is None:
                for row in self.client(host).instances(show_input=True):
                    # The status shows the input as JSON: scan its text.
                    self.watch.scan_input(row["instanceId"], json.dumps(row.get("input")))
            self.watch.scan_log(host.workdir.name, host.log())

    def rng(self, scenario: int) -> random.Random:
        return random.Random(self.seed * 1_000 + scenario)

    def close(self) -> None:
        for store in self.stores:
            store.close()
        for host in self.hosts:
            host.stop()
