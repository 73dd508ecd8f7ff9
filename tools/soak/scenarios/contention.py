"""Scenario 4: many sagas of every kind at once for one scarce SKU -> exactly as many complete
as there are units, the rest are compensated out of stock, and the stock (sampled from the
store while they run) never goes negative."""

from __future__ import annotations

import threading
from collections import Counter

from saga.containers import INVENTORY
from saga.ports import DocumentStore
from tools.soak import invariants, sagas
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import KINDS, SagaSpec, body_for

TITLE = "Contention: concurrent sagas for the last units of one SKU"
HOT_SKU = "soak-hot"


def run(lab: Lab) -> Figure:
    units, contenders = lab.scale.hot_stock, lab.scale.contenders
    specs = [_contender(n) for n in range(contenders)]
    host = lab.host(FAULTY, stock={HOT_SKU: units})
    client, store = lab.client(host), lab.store(host)
    sampler = Sampler(store)
    sampler.start()
    problems = sagas.post_all(client, specs, lab.progress, threads=contenders)
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    sampler.stop()
    found = sagas.outcomes(client, specs)
    ends = Counter(outcome.status for outcome in found.values())
    reasons = Counter(o.body["error"]["code"] for o in found.values() if o.body and o.body["error"])
    if ends["completed"] != units or reasons != {"out_of_stock": contenders - units}:
        problems.append(f"{ends['completed']} completed for {units} units, failures {reasons}")
    problems += [f"negative stock sampled: {s}" for s in sampler.negative]
    problems += [f"stuck: {s}" for s in stuck]
    stock = catalogue_stock({HOT_SKU: units})
    problems += [str(v) for v in invariants.check(store, stock, found)]
    kinds = Counter(spec.kind for spec in specs)
    figure = (
        f"{contenders} concurrent sagas ({', '.join(f'{kinds[k]} {k}' for k in KINDS)}) "
        f"for {units} units: {ends['completed']} completed, {ends['compensated']} compensated "
        f"({', '.join(f'{n} {code}' for code, n in reasons.items())}); stock sampled "
        f"{sampler.samples} times, lowest available {sampler.lowest}; {len(problems)} violations"
    )
    return Figure(4, TITLE, figure, problems)


def _contender(n: int) -> SagaSpec:
    kind = KINDS[n % len(KINDS)]
    order_id = f"hot-{n:04d}"
    return SagaSpec(kind, order_id, body_for(kind, order_id, [{"sku": HOT_SKU, "quantity": 1}]))


class Sampler(threading.Thread):
    """Reads the hot SKU from the store as often as it can while the sagas run."""

    def __init__(self, store: DocumentStore) -> None:
        super().__init__(daemon=True)
        self.store = store
        self.samples = 0
        self.lowest: int | None = None
        self.negative: list[dict[str, int]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            item = self.store.read(INVENTORY, HOT_SKU, HOT_SKU) or {}
            counts = {k: item.get(k, 0) for k in ("available", "reserved", "shipped")}
            self.samples += 1
            self.lowest = min(
                counts["available"], self.lowest if self.lowest is not None else counts["available"]
            )
            if min(counts.values()) < 0:
                self.negative.append(counts)
            self._halt.wait(0.002)

    def stop(self) -> None:
        self._halt.set()
        self.join()
