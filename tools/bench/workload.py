"""What the benchmarks run: a catalogue of SKUs in a counted store, and saga starts built exactly
as the HTTP starters build them (request model -> orchestration input), one per path."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import composition
from config import Settings
from saga.ports import DocumentStore
from saga.seed import seed_demo_data
from tools.bench.counting import CountingStore
from triggers.sagas import KINDS, simulate_of
from triggers.validation import ParallelRequest, SequentialRequest

ROOT = Path(__file__).resolve().parents[2]  # the app's directory
# Enough SKUs that sagas in flight at the same time never share one (no ETag races), and that
# each SKU's per-order reservation ledger stays small over a run.
CATALOGUE_SIZE = 3000
STOCK = 1_000_000
SCARCE_SKU = "bench-scarce"  # 1 unit: asking for 2 is the out-of-stock path
PARALLEL_ITEMS = 3  # the seeds' example batch: ["a", "b", "c"]
PATHS = ("happy", "out_of_stock", "payment_declined", "shipping_failure")
DECLINED_AMOUNT = 200_000  # above the default payment limit (100,000.00)


@dataclass(frozen=True)
class SagaStart:
    """One orchestration to start: its saga kind, orchestrator, instance id and input (JSON)."""

    kind: str
    orchestrator: str
    instance_id: str
    input_text: str

    @property
    def input(self) -> dict[str, Any]:
        return dict(json.loads(self.input_text))


def sku(number: int) -> str:
    return f"bench-{number % CATALOGUE_SIZE}"


def install(
    store: DocumentStore, fault_injection: bool = False, catalogue: int = CATALOGUE_SIZE
) -> CountingStore:
    """Seed ``catalogue`` SKUs into ``store`` and make it, counted, the app's store here."""
    counted = CountingStore(store)
    stock = {sku(n): STOCK for n in range(catalogue)}
    seed_demo_data(counted, {**stock, SCARCE_SKU: 1})
    settings = Settings(saga_fault_injection=fault_injection, saga_max_items=10_000)
    composition.override(store=counted, settings=settings)
    counted.reset()
    return counted


def saga(kind: str, number: int, path: str = "happy", width: int | None = None) -> SagaStart:
    """Saga ``number`` of ``kind`` ("sequential" | "parallel") taking ``path``, for ``width``
    SKUs (default 1 sequential, 3 parallel), disjoint from those of the sagas numbered next to
    it (the catalogue must hold them: ``sku`` wraps around)."""
    business_id = f"{kind[0]}{number}-{path}"
    width = width or (1 if kind == "sequential" else PARALLEL_ITEMS)
    items: list[dict[str, Any]] = [
        {"sku": sku(number * width + offset), "quantity": 1} for offset in range(width)
    ]
    if path == "out_of_stock":
        items[-1] = {"sku": SCARCE_SKU, "quantity": 2}
    extra: dict[str, Any] = {}
    if path == "payment_declined":
        extra["amount"] = DECLINED_AMOUNT
    if path == "shipping_failure":
        extra["simulate"] = {"fail_at": "shipping"}
    if kind == "sequential":
        request: Any = SequentialRequest.model_validate(
            {"order_id": business_id, "amount": extra.pop("amount", 10), "items": items, **extra}
        )
    else:
        request = ParallelRequest.model_validate({"batch_id": business_id, "items": items, **extra})
    saga_kind = KINDS[kind]
    payload = saga_kind.orchestration_input(request, composition.get_policy())
    faults, simulate = composition.get_faults(), simulate_of(request)
    if faults is not None and simulate:
        faults.remember(business_id, simulate)  # as the HTTP starter does
    instance_id = saga_kind.instance_id(business_id)
    return SagaStart(kind, saga_kind.orchestrator, instance_id, json.dumps(payload))


def activity_functions() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """The app's activity functions by durable name, as the dev host indexes them."""
    from devhost.functions.app_index import build_index, load_app

    index = build_index(load_app("function_app:app", ROOT))
    # The index also lists each activity under its Python name; keep the durable names.
    return {f.trigger.get("activity") or f.name: f.user_function for f in index.activities.values()}
