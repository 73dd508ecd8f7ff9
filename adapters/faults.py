"""Failure injection for demos and tests, wired by the composition root only when
SAGA_FAULT_INJECTION=true. A request's ``simulate`` block is stored once per saga (FAULTS, keyed by
the order id) and read where a step runs: chosen steps refuse, fault a number of times, run late
or run twice, and a saga's events can be published twice."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from orchestrators.definition import SagaDefinition
from saga.choreography.reactions import Consumer
from saga.concurrency import create_or_read
from saga.containers import FAULTS
from saga.errors import PreconditionFailed, TechnicalFault
from saga.operations import Condition, Patch
from saga.ports import DocumentStore, EventPublisher
from saga.results import Result

SIMULATE = "simulate"
# Step name -> its service, and the names of the compensations.
StepServices = tuple[dict[str, str], set[str]]


class InjectedFault(TechnicalFault):
    """A technical fault asked for by a ``simulate`` block."""


class FaultInjector:
    """The one seam: ``run`` wraps a step's service call. ``services`` names the service of every
    step (as the ``simulate`` block does); ``compensations`` are the undo steps."""

    def __init__(
        self, store: DocumentStore, services: Mapping[str, str], compensations: set[str]
    ) -> None:
        self.store, self.services, self.compensations = store, services, compensations

    def remember(self, order_id: str, simulate: dict[str, Any]) -> None:
        """Store the saga's ``simulate`` block (the first one wins, like the saga itself)."""
        counters: dict[str, Any] = {_counter(step): 0 for step in self.services}
        doc = {"id": SIMULATE, "order_id": order_id, SIMULATE: simulate, **counters}
        create_or_read(self.store, FAULTS, order_id, doc)

    def simulate_of(self, order_id: str) -> dict[str, Any] | None:
        doc = self.store.read(FAULTS, order_id, SIMULATE)
        return doc[SIMULATE] if doc is not None else None

    def run(self, step: str, order_id: str, call: Callable[[], Result]) -> Result:
        """Refuse, sleep, fault or duplicate ``call`` as the saga's block asks."""
        simulate = self.simulate_of(order_id)
        if not simulate:
            return call()
        refused = self.refusal(step, simulate)
        if refused is not None:
            return refused
        self.before(step, order_id, simulate)
        if simulate.get("duplicate"):
            call()  # a first run whose result was lost: the step runs again
        return call()

    def gate(self, step: str, order_id: str) -> Result | None:
        """The choreography's form of the seam: a refusal, or None after faults and delays."""
        simulate = self.simulate_of(order_id)
        if not simulate:
            return None
        refused = self.refusal(step, simulate)
        if refused is None:
            self.before(step, order_id, simulate)
        return refused

    def refusal(self, step: str, simulate: dict[str, Any]) -> Result | None:
        """A business refusal when the request asked this forward step to fail."""
        service = self.services.get(step)
        if service is None or step in self.compensations or simulate.get("fail_at") != service:
            return None  # steps of no service (the alert) are never refused
        message = f"simulated failure at {simulate['fail_at']}"
        return {"ok": False, "code": "simulated_failure", "message": message}

    def before(self, step: str, order_id: str, simulate: dict[str, Any]) -> None:
        """Sleep and/or raise as asked; the faults so far are counted in the stored block."""
        service = self.services.get(step, "")
        undo = step in self.compensations
        delay = simulate.get("delay_seconds", {}).get(service)
        if delay and not undo:
            time.sleep(delay)  # the step completes late: after its timeout, when one is set
        budget = simulate.get("fail_compensation" if undo else "transient_faults", {}).get(service)
        if budget and self._spend(step, order_id, budget):
            raise InjectedFault(f"simulated transient fault in {step}")

    def _spend(self, step: str, order_id: str, budget: int) -> bool:
        counter = _counter(step)
        patch = Patch(SIMULATE, incr={counter: 1}, where=(Condition(counter, "<", budget),))
        try:
            self.store.patch(FAULTS, order_id, patch)
        except PreconditionFailed:
            return False  # the budget is spent (or the block is gone)
        return True


class DuplicatingPublisher:
    """Publishes the events of sagas whose ``simulate`` block asks for ``duplicate`` twice, so
    every consumer group receives each of them twice (Event Hubs redelivery at its worst)."""

    def __init__(self, inner: EventPublisher, faults: FaultInjector) -> None:
        self.inner, self.faults = inner, faults

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        self.inner.publish(hub, events)
        again = [(key, body) for key, body in events if self._asks_for_duplicates(key)]
        if again:
            self.inner.publish(hub, again)

    def _asks_for_duplicates(self, order_id: str) -> bool:
        simulate = self.faults.simulate_of(order_id) or {}
        return bool(simulate.get("duplicate"))


def services_of(sagas: Iterable[SagaDefinition], consumers: Iterable[Consumer]) -> StepServices:
    """Each step's service and the compensations, from the saga definitions and the choreography's
    consumers (one service each), so the ``simulate`` block names what the sagas declare."""
    services: dict[str, str] = {}
    compensations: set[str] = set()
    for saga in sagas:
        for step in saga.steps():
            services[step.name] = step.service
            if step.compensation is not None:
                services[step.compensation] = step.service
                compensations.add(step.compensation)
    for consumer in consumers:
        for reaction in consumer.reactions.values():
            if consumer.service:
                services.setdefault(reaction.step, consumer.service)
            if reaction.compensates:
                compensations.add(reaction.step)
    return services, compensations


def _counter(step: str) -> str:
    return f"faults_{step}"
