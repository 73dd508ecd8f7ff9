"""Scenario 1: random sagas of every kind with business failures, transient faults and
duplicated executions, all at once -> 0 invariant violations, 0 stuck, every outcome as asked."""

from __future__ import annotations

from collections import Counter

from tools.soak import invariants, poison, sagas
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.workload import random_sagas

TITLE = "Random sagas: 20% business failures, 5% transient faults, 5% duplicated executions"
POISON = 8  # invalid event bodies published among the sagas' events


def run(lab: Lab) -> Figure:
    specs = random_sagas(lab.rng(1), lab.scale.random_sagas, "mix")
    host = lab.host(FAULTY)
    client = lab.client(host)
    problems = sagas.post_all(client, specs, lab.progress)
    letters_due = poison.publish(client, POISON)
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    found = sagas.outcomes(client, specs)
    store = lab.store(host)
    letters = poison.dead_letters(store, letters_due)
    if letters != letters_due:
        problems.append(f"{letters} dead letters for {POISON} poison events, {letters_due} due")
    problems += sagas.unexpected(specs, found)
    checked = invariants.check(store, catalogue_stock(), found, poison.POISONED)
    problems += [str(v) for v in checked]
    kinds = Counter(spec.kind for spec in specs)
    tags = Counter(tag.split(":")[0] for spec in specs for tag in spec.tags)
    ends = Counter(outcome.status for outcome in found.values())
    figure = (
        f"{len(specs):,} sagas ({kinds['sequential']} sequential, {kinds['parallel']} parallel, "
        f"{kinds['choreography']} choreography): {tags['business']} business failures, "
        f"{tags['transient']} with transient faults, {tags['duplicate']} duplicated; "
        f"{ends['completed']:,} completed, {ends['compensated']:,} compensated; {POISON} poison "
        f"events among them, dead-lettered by each consumer group ({letters}, no other dead "
        f"letter); {len(problems)} violations, {len(stuck)} stuck"
    )
    return Figure(1, TITLE, figure, problems + [f"stuck: {s}" for s in stuck])
