"""Sequential saga: create order → reserve inventory → charge payment → ship → commit stock →
confirm order; on failure the compensation list runs newest first, one step at a time."""

from __future__ import annotations

import azure.durable_functions as df

from orchestrators import steps
from orchestrators.runner import StageBuilder, Steps, run_saga

SEQUENTIAL_SAGA = "sequential_saga"
bp = df.Blueprint()

STAGES: list[StageBuilder] = [
    lambda order: [steps.create_order(order)],
    lambda order: [steps.reserve_inventory(order, order["items"], "reserve_inventory")],
    lambda order: [steps.charge_payment(order)],
    lambda order: [steps.ship_order(order)],
    lambda order: [steps.commit_inventory(order, order["items"], "commit_inventory")],
    lambda order: [steps.confirm_order(order)],
]


@bp.orchestration_trigger(context_name="context", orchestration=SEQUENTIAL_SAGA)
def sequential_saga(context: df.DurableOrchestrationContext) -> Steps:
    return (yield from run_saga(context, STAGES, compensate_in_parallel=False))
