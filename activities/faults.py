"""Failure injection for demos and tests, off unless SAGA_FAULT_INJECTION=true: a request's
``simulate`` block makes chosen steps refuse, fault a number of times, run late, or run twice."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from saga.errors import TechnicalFault
from saga.ports import EventPublisher

# Which saga service each activity belongs to, as named in the ``simulate`` block.
SERVICES = {
    "create_order": "order",
    "cancel_order": "order",
    "confirm_order": "order",
    "complete_order": "order",  # the choreography's completion step
    "reserve_inventory": "inventory",
    "release_inventory": "inventory",
    "commit_inventory": "inventory",
    "charge_payment": "payment",
    "refund_payment": "payment",
    "ship_order": "shipping",
    "cancel_shipment": "shipping",
}
COMPENSATIONS = {"cancel_order", "release_inventory", "refund_payment", "cancel_shipment"}

_lock = threading.Lock()
_faults_so_far: Counter[tuple[str, str]] = Counter()


class InjectedFault(TechnicalFault):
    """A technical fault asked for by a ``simulate`` block."""


def refusal(step: str, simulate: dict[str, Any]) -> dict[str, Any] | None:
    """A business refusal when the request asked this forward step to fail."""
    if step in COMPENSATIONS or simulate.get("fail_at") != SERVICES.get(step):
        return None
    return {
        "ok": False,
        "step": step,
        "code": "simulated_failure",
        "message": f"simulated failure at {simulate['fail_at']}",
    }


def before_step(step: str, order_id: str, simulate: dict[str, Any]) -> None:
    """Sleep and/or raise as asked, counting faults per order and step."""
    service = SERVICES.get(step, "")
    delay = simulate.get("delay_seconds", {}).get(service)
    if delay and step not in COMPENSATIONS:
        time.sleep(delay)  # the step completes late: after its timeout, when one is set
    key = "fail_compensation" if step in COMPENSATIONS else "transient_faults"
    budget = simulate.get(key, {}).get(service, 0)
    with _lock:
        if _faults_so_far[(order_id, step)] >= budget:
            return
        _faults_so_far[(order_id, step)] += 1
    raise InjectedFault(f"simulated transient fault in {step}")


class DuplicatingPublisher:
    """Publishes the events of sagas whose ``simulate`` block asks for ``duplicate`` twice, so
    every consumer group receives each of them twice (Event Hubs redelivery at its worst)."""

    def __init__(self, inner: EventPublisher) -> None:
        self.inner = inner

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        self.inner.publish(hub, events)
        again = [(key, body) for key, body in events if _asks_for_duplicates(body)]
        if again:
            self.inner.publish(hub, again)


def _asks_for_duplicates(body: str) -> bool:
    try:
        simulate = json.loads(body)["data"]["order"].get("simulate") or {}
    except (ValueError, KeyError, TypeError, AttributeError):
        return False
    return bool(simulate.get("duplicate"))
