"""Store round trips per saga, counted at the adapter (``CountingStore``), on the happy path and
each compensation path, on SQLite and on the Cosmos adapter against the Cosmos-protocol server
(where the SDK's own HTTP requests are counted too, to show the adapter hides none)."""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from adapters.sqlite import SqliteStore
from saga.ports import DocumentStore
from tools.bench import host_engine
from tools.bench.load import Progress
from tools.bench.step_counts import attributing
from tools.bench.workload import PATHS, install, saga

# The floor (issue 7): one write per step, plus one read where its rule needs current state.
# Reserve, commit and release have none: each SKU's step is one transactional batch whose
# predicate checks the state on the service (issue 11).
READS_STATE = {
    "create_order",  # the catalogue: do the SKUs exist, what do they cost
    "confirm_order",
    "cancel_order",
    "refund_payment",
    "cancel_shipment",
}
# A refused step writes nothing (out of stock: the batch its predicate refused) or records the
# refusal (a declined charge); a simulated shipping failure refuses before touching the store.
REFUSAL_FLOOR = {"out_of_stock": 1, "payment_declined": 1, "simulated_failure": 0}
# A catalogue lookup writes nothing: its one read is the floor. When the parallel saga priced the
# SKUs that way, create_order needs no read of its own.
READ_ONLY = {"price_item"}
KINDS = ("sequential", "parallel")


def measure(store: str, sagas: int, workdir: str, progress: Progress) -> dict[str, Any]:
    """``sagas`` sagas per (kind, path) on ``store`` ("sqlite" | "cosmos"), one at a time."""
    http = [0]
    if store == "cosmos":
        from tools.cosmos.server import cosmos_endpoint

        with cosmos_endpoint() as endpoint:
            backend = _cosmos(endpoint, lambda _response: _add(http))
            return _measure(backend, sagas, Path(workdir), progress, http)
    return _measure(SqliteStore(str(Path(workdir) / "saga.db")), sagas, Path(workdir), progress)


def _measure(
    backend: DocumentStore,
    sagas: int,
    workdir: Path,
    progress: Progress,
    http: list[int] | None = None,
) -> dict[str, Any]:
    counted = install(backend, fault_injection=True, catalogue=50)
    rows: list[dict[str, Any]] = []
    with attributing(counted), host_engine.blocking_host(workdir) as run_saga:
        for kind in KINDS:
            for path in PATHS:
                counted.reset()
                http_before, started = http[0] if http else 0, time.perf_counter()
                outputs = [run_saga(saga(kind, n, path)) for n in range(sagas)]
                row = {
                    "kind": kind,
                    "path": path,
                    "status": sorted({o["status"] for o in outputs}),
                    "ms_per_saga": (time.perf_counter() - started) * 1000 / sagas,
                    "per_kind": {op: n / sagas for op, n in counted.counts().items()},
                    "total": counted.total / sagas,
                    "by_step": {a: n / sagas for a, n in counted.by_step.items()},
                    "runs": {a: n / sagas for a, n in counted.runs.items()},
                    "floor": floor(counted.runs, outputs[0].get("reason"), sagas) / sagas,
                }
                if http is not None:
                    row["http_requests"] = (http[0] - http_before) / sagas
                rows.append(row)
                progress(len(rows))
    return {"rows": rows}


def floor(runs: Mapping[str, int], reason: dict[str, Any] | None, sagas: int) -> int:
    """The issue's floor for the steps that ``sagas`` sagas ran: one write each, plus one read
    where the rule needs current state; each saga's refused step (if any) at its own floor."""
    priced = any(activity in READ_ONLY for activity in runs)
    total = sum(_step_floor(activity, priced) * n for activity, n in runs.items())
    if reason is None:
        return total
    refused = _step_floor(reason["step"].split(":")[0], priced)
    return total + sagas * (REFUSAL_FLOOR.get(reason["code"], refused) - refused)


def _step_floor(activity: str, priced: bool) -> int:
    if activity in READ_ONLY or (priced and activity == "create_order"):
        return 1
    return 1 + (activity in READS_STATE)


def _cosmos(endpoint: str, on_response: Any) -> DocumentStore:
    from adapters.cosmos import CosmosStore
    from tools.cosmos.server import EMULATOR_KEY

    warnings.filterwarnings("ignore", message="Unverified HTTPS request")
    options = {"raw_response_hook": on_response}  # azure-core calls it once per HTTP response
    database = f"bench-{uuid.uuid4().hex[:8]}"
    return CosmosStore(endpoint, database, EMULATOR_KEY, verify_tls=False, client_options=options)


def _add(counter: list[int]) -> None:
    counter[0] += 1
