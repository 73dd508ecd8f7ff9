"""Scenario 7: a step that outlives its timeout is compensated while it still runs; when it
completes late it meets the tombstone its compensation left -> no effect remains."""

from __future__ import annotations

import re
import time

from devhost.testing.process import DevHostProcess
from tools.soak import invariants, sagas
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import SagaSpec, body_for
from tools.soak.workload import SERVICES

TITLE = "A step times out, then completes after its compensation"
# Wide apart, so that only the delayed step times out even on a busy machine.
TIMEOUT, DELAY = 2, 4
ENV = {
    **FAULTY,
    "SAGA_STEP_TIMEOUT_SECONDS": str(TIMEOUT),
    "PYTHON_THREADPOOL_THREAD_COUNT": "32",  # the late steps sleep in worker threads
}
# The step each service runs first (a delay applies to a service's forward steps).
FIRST_STEP = {
    "order": "create_order",
    "inventory": "reserve_inventory",
    "payment": "charge_payment",
    "shipping": "ship_order",
}
ITEMS = [{"sku": "a", "quantity": 1}, {"sku": "c", "quantity": 1}]
# The log line of a step's execution, with its outcome.
STEP_LINE = re.compile(r"saga_step order_id=(\S+) step=(\S+) outcome=(\S+)")


def run(lab: Lab) -> Figure:
    host = lab.host(ENV)
    client = lab.client(host)
    problems: list[str] = []
    late: dict[tuple[str, str], list[str]] = {}
    found: dict[str, invariants.Outcome] = {}
    # In rounds, so that the sleeping steps never hold every worker thread: a step must time out
    # while it runs, not while it waits for a thread.
    for n in range(lab.scale.late_rounds):
        specs = [_late(kind, svc, n) for kind in ("sequential", "parallel") for svc in SERVICES]
        problems += sagas.post_all(client, specs, lab.progress)
        stuck = sagas.settle(client, host.store_path, specs, lab.progress, 60)
        problems += [f"stuck: {s}" for s in stuck]
        found.update(sagas.outcomes(client, specs))
        late.update(_late_outcomes(host, specs))
        problems += [
            f"{spec.order_id} ended {found[spec.order_id].body}"
            for spec in specs
            if _failure(found[spec.order_id]) != (_step(spec), "timeout")
        ]
    problems += [
        f"late step {key} ended {ends}, not refused"
        for key, ends in late.items()
        if any(end != "compensated" for end in ends)
    ]
    problems += [str(v) for v in invariants.check(lab.store(host), catalogue_stock(), found)]
    completions = sum(len(ends) for ends in late.values())
    refused = sum(end == "compensated" for ends in late.values() for end in ends)
    compensated = sum(o.status == "compensated" for o in found.values())
    figure = (
        f"{len(found)} sagas (sequential and parallel; each service's first step takes {DELAY} s "
        f"against a {TIMEOUT} s step timeout): {compensated} compensated on the timeout; "
        f"{completions} late completions, {refused} refused by the tombstone their compensation "
        f"left, {completions - refused} took effect; {len(problems)} violations"
    )
    return Figure(7, TITLE, figure, problems)


def _late(kind: str, service: str, n: int) -> SagaSpec:
    order_id = f"late-{kind[:3]}-{service}-{n}"
    simulate = {"delay_seconds": {service: DELAY}}
    body = body_for(kind, order_id, ITEMS, 25, simulate)
    return SagaSpec(kind, order_id, body, "compensated", frozenset({service}))


def _step(spec: SagaSpec) -> str:
    """The step the saga's delay applies to."""
    return FIRST_STEP[next(iter(spec.tags))]


def _failure(outcome: invariants.Outcome) -> tuple[str | None, str | None]:
    """The failed step (without a parallel branch's ``:sku``) and why."""
    error = (outcome.body or {}).get("error") or {}
    return str(error.get("step")).split(":")[0], error.get("code")


def _late_outcomes(
    host: DevHostProcess, specs: list[SagaSpec], timeout: float = 30
) -> dict[tuple[str, str], list[str]]:
    """Wait until every delayed step has finished (one log line per run: one per SKU for a
    parallel reservation) and return how each run ended."""
    runs = {}
    for spec in specs:
        fan_out = spec.kind == "parallel" and _step(spec) == "reserve_inventory"
        runs[(spec.order_id, _step(spec))] = len(ITEMS) if fan_out else 1
    deadline = time.monotonic() + timeout
    while True:
        seen: dict[tuple[str, str], list[str]] = {key: [] for key in runs}
        for order, step, outcome in STEP_LINE.findall(host.log()):
            seen.get((order, step), []).append(outcome)
        if all(len(seen[key]) >= count for key, count in runs.items()):
            return seen
        if time.monotonic() > deadline:
            missing = [key for key, count in runs.items() if len(seen[key]) < count]
            return {**seen, **{key: ["never finished"] for key in missing}}
        time.sleep(0.1)
