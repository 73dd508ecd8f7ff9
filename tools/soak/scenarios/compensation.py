"""Scenario 6: compensations that fail 1-5 times in a row are retried until every one is done;
one that never succeeds ends the saga ``compensation_failed``, naming the step and why, with a
dead letter in the store: never lost, never silent."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tools.soak import invariants, sagas
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import KINDS, SagaSpec, body_for
from tools.soak.workload import SERVICES

TITLE = "Compensations failing 1-5 times, and failing for good"
PERMANENT = 99
# A step timeout shorter than the shipping delay: ship_order times out and is compensated. The
# delayed steps sleep in worker threads: with enough workers they starve no compensation.
ENV = {**FAULTY, "SAGA_STEP_TIMEOUT_SECONDS": "3", "PYTHON_THREADPOOL_THREAD_COUNT": "32"}
SHIPPING_DELAY = 5
UNDO = {"order": "cancel_order", "inventory": "release_inventory", "payment": "refund_payment"}
UNDO["shipping"] = "cancel_shipment"
NEWEST_FIRST = ["cancel_shipment", "refund_payment", "release_inventory", "cancel_order"]


def run(lab: Lab) -> Figure:
    faults = [*lab.scale.compensation_faults, PERMANENT]
    specs = [_saga(kind, svc, k) for kind in KINDS for svc in SERVICES for k in faults]
    host = lab.host(ENV)
    client = lab.client(host)
    problems = sagas.post_all(client, specs, lab.progress)
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    found = sagas.outcomes(client, specs)
    problems += sagas.unexpected(specs, found) + [f"stuck: {s}" for s in stuck]
    problems += [p for spec in specs for p in _details(spec, found[spec.order_id])]
    problems += [str(v) for v in invariants.check(lab.store(host), catalogue_stock(), found)]
    ends = Counter(outcome.status for outcome in found.values())
    figure = (
        f"{len(specs)} sagas (3 kinds x 4 services): compensations failing "
        f"{'/'.join(map(str, lab.scale.compensation_faults))} times -> "
        f"{ends['compensated']} of {len(specs) - len(KINDS) * len(SERVICES)} compensated; "
        f"failing for good -> {ends['compensation_failed']} of {len(KINDS) * len(SERVICES)} "
        f"compensation_failed with the step, the error and a dead letter; "
        f"{len(problems)} violations"
    )
    return Figure(6, TITLE, figure, problems)


def _saga(kind: str, service: str, failures: int) -> SagaSpec:
    """A saga that must compensate ``service``'s step, whose compensation fails ``failures``
    times: the orchestrated sagas fail at shipping (or time out in it, to undo shipping), the
    choreography at completing the order (every step is then undone)."""
    simulate: dict[str, Any] = {"fail_compensation": {service: failures}}
    if kind == "choreography":
        simulate["fail_at"] = "order"
    elif service == "shipping":
        simulate["delay_seconds"] = {"shipping": SHIPPING_DELAY}
    else:
        simulate["fail_at"] = "shipping"
    order_id = f"undo-{kind[:3]}-{service}-{failures}"
    items = [{"sku": "a", "quantity": 1}, {"sku": "b", "quantity": 1}]
    expected = "compensation_failed" if failures == PERMANENT else "compensated"
    return SagaSpec(kind, order_id, body_for(kind, order_id, items, 30, simulate), expected)


def _details(spec: SagaSpec, outcome: invariants.Outcome) -> list[str]:
    """Compensated: the step is among the compensated ones, newest first unless parallel.
    Failed: listed with its code and message."""
    service = next(iter(spec.body["simulate"]["fail_compensation"]))
    step = UNDO[service]
    output = (outcome.body or {}).get("output") or {}
    if spec.expected == "compensated":
        done = [s.split(":")[0] for s in output.get("compensated_steps", [])]
        newest_first = spec.kind == "parallel" or done == [s for s in NEWEST_FIRST if s in done]
        return [] if step in done and newest_first else [f"{spec.instance_id}: undid {done}"]
    failed = [f for f in output.get("failed_compensations", []) if f["step"].startswith(step)]
    if not failed or not all(f.get("code") and f.get("message") for f in failed):
        return [f"{spec.instance_id}: {step} not reported with code and message: {output}"]
    return []
