"""Scenario 2: the dev host is killed with SIGKILL at random moments while sagas start and run,
and started again on the same state -> every saga terminal, no double charge; how long the host
takes to serve again and to finish every saga after the last restart."""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import Counter

from devhost.testing.process import DevHostProcess
from tools.soak import invariants, sagas
from tools.soak.client import Client
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import SagaSpec
from tools.soak.workload import SERVICES, Mix, random_sagas

TITLE = "SIGKILL at random moments during sagas, restart on the same state"
ENV = {**FAULTY, "SAGA_STEP_TIMEOUT_SECONDS": "20"}
# An orchestrated step that ran more than once (the log line of each execution).
STEP_LINE = re.compile(r"saga_step order_id=(\S+) step=(\S+) outcome=(?!technical_fault)")


def run(lab: Lab) -> Figure:
    rng = lab.rng(2)
    mix = Mix(duplicates=0)  # every re-execution counted below comes from a kill
    specs = [_slowed(s, rng) for s in random_sagas(rng, lab.scale.crash_sagas, "kill", mix)]
    host = lab.host(ENV)
    client = lab.client(host)
    refused: list[str] = []
    poster = threading.Thread(
        target=_post_slowly, args=(client, specs, random.Random(rng.random()), refused)
    )
    poster.start()
    restarts, last_restart = _kill_and_restart(host, lab.scale.crash_kills, rng)
    poster.join()
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    drain = time.monotonic() - last_restart
    found = sagas.outcomes(client, specs)
    violations = invariants.check(lab.store(host), catalogue_stock(), found)
    double = [v for v in violations if v.rule in ("single_charge", "money_nets")]
    problems = refused + sagas.unexpected(specs, found) + [str(v) for v in violations]
    terminal = sum(o.status in invariants.TERMINAL for o in found.values())
    figure = (
        f"{len(specs)} sagas, {len(restarts)} SIGKILLs: {terminal}/{len(specs)} terminal, "
        f"{len(double)} double charges; after the kills {_reruns(host.log())} orchestrated steps "
        f"ran again and {host.log().count('outcome=duplicate')} redelivered events were "
        f"recognised (all idempotent); restart to serving p50 {statistics.median(restarts):.2f} s, "
        f"max {max(restarts):.2f} s; last restart to every saga terminal {drain:.1f} s; "
        f"{len(problems)} violations, {len(stuck)} stuck"
    )
    return Figure(2, TITLE, figure, problems + [f"stuck: {s}" for s in stuck])


def _slowed(spec: SagaSpec, rng: random.Random) -> SagaSpec:
    """Half the sagas spend a second in one step, so kills land while steps run."""
    if rng.random() < 0.5:
        return spec
    simulate = {**spec.body.get("simulate", {}), "delay_seconds": {rng.choice(SERVICES): 1}}
    return SagaSpec(spec.kind, spec.order_id, {**spec.body, "simulate": simulate}, spec.expected)


def _post_slowly(
    client: Client, specs: list[SagaSpec], rng: random.Random, refused: list[str]
) -> None:
    """One start after another, as clients arrive; each retried until the host answers."""
    for spec in specs:
        answer = client.post(spec.path, spec.body, retry_for=120)
        if answer.status not in (200, 202):
            refused.append(f"start {spec.instance_id}: {answer.status} {answer.text[:120]}")
        time.sleep(rng.uniform(0, 0.1))


def _kill_and_restart(
    host: DevHostProcess, kills: int, rng: random.Random
) -> tuple[list[float], float]:
    """SIGKILL ``kills`` times at random moments; returns each restart's time to serving and
    when the last restart began."""
    restarts, started = [], time.monotonic()
    for _ in range(kills):
        time.sleep(rng.uniform(0.1, 1.5))
        host.kill()
        started = time.monotonic()
        host.start()
        restarts.append(time.monotonic() - started)
    return restarts, started


def _reruns(log: str) -> int:
    executions = Counter(STEP_LINE.findall(log))
    return sum(count - 1 for count in executions.values())
