"""Random sagas for the soak: every kind, a share of business failures, injected transient
faults and duplicated executions, each saga with the outcome its request must lead to."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from saga.seed import SCARCE_SKU, SCARCE_STOCK
from tools.soak.sagas import KINDS, SagaSpec, body_for

SKUS = ("a", "b", "c", "demo-widget", "demo-gadget", "demo-gizmo")
SERVICES = ("order", "inventory", "payment", "shipping")
# Above SAGA_PAYMENT_LIMIT_MINOR's default (100,000.00): the charge is declined.
DECLINED_AMOUNT = 200_000


@dataclass(frozen=True)
class Mix:
    """Shares of sagas with a business failure, transient faults, duplicated executions."""

    business_failures: float = 0.20
    transient_faults: float = 0.05
    duplicates: float = 0.05


def random_sagas(
    rng: random.Random, count: int, prefix: str, mix: Mix = Mix(), kinds: tuple[str, ...] = KINDS
) -> list[SagaSpec]:
    return [random_saga(rng, kinds[n % len(kinds)], f"{prefix}-{n:05d}", mix) for n in range(count)]


def random_saga(rng: random.Random, kind: str, order_id: str, mix: Mix) -> SagaSpec:
    """1-3 lines of 1-3 units; maybe a failure, transient faults (within the retry budget) and
    duplicated executions. A business failure means the saga must end compensated."""
    items = [
        {"sku": sku, "quantity": rng.randint(1, 3)} for sku in rng.sample(SKUS, rng.randint(1, 3))
    ]
    amount: int | None = rng.randint(1, 500)
    if kind == "parallel" and rng.random() < 0.5:
        amount = None  # priced from the catalogue
    simulate: dict[str, Any] = {}
    tags = set()
    if rng.random() < mix.business_failures:
        failure = rng.choice(("out_of_stock", "declined", "fail_at"))
        tags.add(f"business:{failure}")
        if failure == "out_of_stock":
            items.append({"sku": SCARCE_SKU, "quantity": SCARCE_STOCK + 1})
        elif failure == "declined":
            amount = DECLINED_AMOUNT
        else:
            simulate["fail_at"] = rng.choice(SERVICES)
    if rng.random() < mix.transient_faults:
        # SAGA_RETRY_MAX_ATTEMPTS=4: up to 3 faults in a row are retried away.
        simulate["transient_faults"] = {rng.choice(SERVICES): rng.randint(1, 3)}
        tags.add("transient")
    if rng.random() < mix.duplicates:
        simulate["duplicate"] = True
        tags.add("duplicate")
    expected = "compensated" if any(t.startswith("business") for t in tags) else "completed"
    body = body_for(kind, order_id, items, amount, simulate)
    return SagaSpec(kind, order_id, body, expected, frozenset(tags))
