"""Scenario 3: the same choreography sagas three times - clean; with every event delivered
twice; with every event twice and the host dying after a payment write, before its ledger entry
and checkpoint -> the store and every saga's status identical to the clean run."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devhost.events.log import DEFAULT_PARTITIONS, partition_for
from devhost.testing.process import DevHostProcess
from saga.seed import SCARCE_SKU, SCARCE_STOCK
from tools.soak import invariants, sagas
from tools.soak.compare import State, differences, final_state
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import SagaSpec, body_for
from tools.soak.snapshot import Snapshot

TITLE = "Choreography: every event delivered twice, and a kill before the checkpoint"
CHAOS_APP = "tools.soak.chaos_app:app"  # crash mode: dies once after a payment write
ITEMS = [{"sku": "a", "quantity": 1}, {"sku": "c", "quantity": 2}]
# (expected outcome, amount, extra items, simulate): every path of the choreography.
CASES: list[tuple[str, int, list[dict[str, Any]], dict[str, Any]]] = [
    ("completed", 20, [], {}),
    ("compensated", 20, [{"sku": SCARCE_SKU, "quantity": SCARCE_STOCK + 1}], {}),
    ("compensated", 200_000, [], {}),
    ("compensated", 20, [], {"fail_at": "shipping"}),
    ("compensated", 20, [], {"fail_at": "order"}),
    ("completed", 20, [], {"transient_faults": {"payment": 2}}),
    ("compensated", 20, [], {"fail_at": "shipping", "fail_compensation": {"payment": 2}}),
    ("compensation_failed", 20, [], {"fail_at": "shipping", "fail_compensation": {"payment": 99}}),
]


def run(lab: Lab) -> Figure:
    specs = _specs(lab.scale.redelivery_sagas)
    twice = [_twice(spec) for spec in specs]
    clean, problems, _ = _run(lab, specs, lab.host(FAULTY))
    doubled, found, twice_seen = _run(lab, twice, lab.host(FAULTY))
    problems += found + differences("twice", clean, doubled)
    crashed, found, crash_seen = _run(lab, twice, *_crashing_host(lab, specs))
    problems += found + differences("twice+kill", clean, crashed)
    figure = (
        f"{len(specs)} choreography sagas ({len(CASES)} paths) run clean, with every event "
        f"delivered twice ({twice_seen} duplicates recognised), and twice plus a kill -9 between "
        f"a payment write and its checkpoint ({crash_seen} recognised): "
        f"{len(differences('', clean, doubled))} + {len(differences('', clean, crashed))} "
        f"differences from the clean run (orders, statuses, stock); {len(problems)} violations"
    )
    return Figure(3, TITLE, figure, problems)


def _specs(count: int) -> list[SagaSpec]:
    """Order ids on one partition, so one consumer sees them all in a few batches."""
    ids = (f"redo-{n:04d}" for n in range(100_000))
    target = partition_for("redo-0000", DEFAULT_PARTITIONS)
    same = [i for i in ids if partition_for(i, DEFAULT_PARTITIONS) == target][:count]
    return [
        SagaSpec(
            "choreography",
            order_id,
            body_for("choreography", order_id, [*ITEMS, *more], amount, sim),
            end,
        )
        for n, order_id in enumerate(same)
        for end, amount, more, sim in [CASES[n % len(CASES)]]
    ]


def _twice(spec: SagaSpec) -> SagaSpec:
    simulate = {**spec.body.get("simulate", {}), "duplicate": True}
    return SagaSpec(spec.kind, spec.order_id, {**spec.body, "simulate": simulate}, spec.expected)


def _crashing_host(lab: Lab, specs: list[SagaSpec]) -> tuple[DevHostProcess, Callable[..., None]]:
    """The chaos app holds payment writes until told, then dies after the last order's."""
    marks = lab.workdir / "chaos"
    marks.mkdir(parents=True)
    payers = [s for s in specs if s.body["items"][-1]["sku"] != SCARCE_SKU]
    env = {
        **FAULTY,
        "CHOREOGRAPHY_CHAOS": "crash",
        "CHAOS_GO": str(marks / "go"),
        "CHAOS_CRASHED": str(marks / "crashed"),
        "CHAOS_CRASH_ORDER": payers[-1].order_id,
    }
    host = lab.host(env, app=CHAOS_APP)
    return host, lambda client: _crash_once(host, client, specs, marks)


def _crash_once(host: DevHostProcess, client: Any, specs: list[SagaSpec], marks: Path) -> None:
    """When every saga waits for its payment (or ended), let payments go; the host dies (137)
    after the last one's write; start it again on the same state."""
    while not all(_waits_or_ended(client, spec) for spec in specs):
        time.sleep(0.05)
    (marks / "go").touch()
    assert host.process is not None
    if host.process.wait(timeout=60) != 137 or not (marks / "crashed").exists():
        raise AssertionError(f"the chaos app did not crash as planned:\n{host.log()[-2000:]}")
    host.start()


def _waits_or_ended(client: Any, spec: SagaSpec) -> bool:
    body = client.get(spec.status_path, retry_for=30).json()
    return body["current_step"] == "charge_payment" or body["saga_status"] != "running"


def _run(
    lab: Lab,
    specs: list[SagaSpec],
    host: DevHostProcess,
    between: Callable[..., None] = lambda c: None,
) -> tuple[State, list[str], int]:
    """Post, (``between``), settle; returns each order's final state, the violations, and how
    many redelivered events the consumers recognised as already processed."""
    client = lab.client(host)
    problems = sagas.post_all(client, specs, lab.progress)
    between(client)
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    found = sagas.outcomes(client, specs)
    store = lab.store(host)
    problems += [f"stuck: {s}" for s in stuck] + sagas.unexpected(specs, found)
    problems += [str(v) for v in invariants.check(store, catalogue_stock(), found)]
    state = final_state(Snapshot.read(store), found, ("a", "c", SCARCE_SKU))
    return state, problems, host.log().count("outcome=duplicate")
