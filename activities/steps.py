"""Every activity of the given saga definitions, registered from them: one activity function per
forward step and per compensation, each running its step's handler through ``run_step`` (the
store, structured logs, technical faults as retryable results, fault injection)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import azure.durable_functions as df

from activities.common import Result, run_step
from orchestrators.definition import Handler, SagaDefinition


def activity_blueprint(sagas: Iterable[SagaDefinition]) -> df.Blueprint:
    """A blueprint with the activities of ``sagas`` (an activity two sagas share, once)."""
    bp = df.Blueprint()
    for name, (key_field, handler) in activities_of(sagas).items():
        bp.activity_trigger(input_name="payload", activity=name)(activity(name, key_field, handler))
    return bp


def activities_of(sagas: Iterable[SagaDefinition]) -> dict[str, tuple[str, Handler]]:
    """Activity name -> (business key field, handler); one name must mean one handler."""
    found: dict[str, tuple[str, Handler]] = {}
    for saga in sagas:
        for name, handler in saga.activities().items():
            known = found.setdefault(name, (saga.business_key, handler))
            if known != (saga.business_key, handler):
                raise ValueError(f"activity {name!r} is declared twice, differently")
    return found


def activity(name: str, key_field: str, handler: Handler) -> Callable[[dict], Result]:
    """The activity function of one step: named after it, as the Functions index wants."""

    def run(payload: dict) -> Result:
        return run_step(name, key_field, payload, lambda store: handler(store, payload))

    run.__name__ = run.__qualname__ = name
    return run
