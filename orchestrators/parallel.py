"""Parallel saga: after the order exists, every item is reserved and the payment charged in
parallel (fan-out/fan-in); a failed branch stops the saga once every in-flight branch has
settled, and the steps that may have taken effect are compensated in parallel."""

from __future__ import annotations

from typing import Any

import azure.durable_functions as df

from orchestrators import steps
from orchestrators.branches import Branch
from orchestrators.runner import StageBuilder, Steps, run_saga

PARALLEL_SAGA = "parallel_saga"
bp = df.Blueprint()


def fan_out(order: dict[str, Any]) -> list[Branch]:
    """One reservation per SKU plus the payment: none depends on another."""
    reservations = [
        steps.reserve_inventory(order, [item], f"reserve_inventory:{item['sku']}")
        for item in order["items"]
    ]
    return [*reservations, steps.charge_payment(order)]


def fan_in(order: dict[str, Any]) -> list[Branch]:
    """Commit each SKU's stock and confirm the order: independent of each other too."""
    commits = [
        steps.commit_inventory(order, [item], f"commit_inventory:{item['sku']}")
        for item in order["items"]
    ]
    return [*commits, steps.confirm_order(order)]


STAGES: list[StageBuilder] = [
    lambda order: [steps.create_order(order)],
    fan_out,
    lambda order: [steps.ship_order(order)],
    fan_in,
]


@bp.orchestration_trigger(context_name="context", orchestration=PARALLEL_SAGA)
def parallel_saga(context: df.DurableOrchestrationContext) -> Steps:
    return (yield from run_saga(context, STAGES, compensate_in_parallel=True))
