"""The orchestrator functions of the given saga definitions: one per saga, each the generic
runner on its definition."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import azure.durable_functions as df

from orchestrators.definition import SagaDefinition
from orchestrators.runner import Steps, run_saga


def orchestration_blueprint(sagas: Iterable[SagaDefinition]) -> df.Blueprint:
    bp = df.Blueprint()
    for saga in sagas:
        bp.orchestration_trigger(context_name="context", orchestration=saga.name)(
            orchestrator(saga)
        )
    return bp


def orchestrator(saga: SagaDefinition) -> Callable[[Any], Steps]:
    """The orchestrator function of ``saga``, named after it (the Functions index wants a
    distinct function name per orchestrator)."""

    def run(context: df.DurableOrchestrationContext) -> Steps:
        return (yield from run_saga(context, saga))

    run.__name__ = run.__qualname__ = saga.name
    return run
