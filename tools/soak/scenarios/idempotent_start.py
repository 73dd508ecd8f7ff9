"""Scenario 5: the same order posted 10 times at once and 10 times in sequence -> one saga
(202 once, 200 with the same id after), one charge; the same id with another payload is 409."""

from __future__ import annotations

import threading
from collections import Counter

from saga.containers import PAYMENTS, SAGAS
from tools.soak import invariants, sagas
from tools.soak.client import Client, Response
from tools.soak.lab import FAULTY, Lab, catalogue_stock
from tools.soak.report import Figure
from tools.soak.sagas import KINDS, SagaSpec, body_for, in_parallel

TITLE = "The same order posted 10x concurrently and 10x in sequence"
REPEATS = 10


def run(lab: Lab) -> Figure:
    host = lab.host(FAULTY)
    client, store = lab.client(host), lab.store(host)
    specs = [_order(kind, n) for kind in KINDS for n in range(lab.scale.repeated_orders)]
    problems = [problem for spec in specs for problem in _post_repeatedly(client, spec)]
    stuck = sagas.settle(client, host.store_path, specs, lab.progress, lab.scale.settle_seconds)
    found = sagas.outcomes(client, specs)
    # One Durable instance per orchestrated order, one saga document per choreography order.
    instances = Counter(row["instanceId"] for row in client.instances())
    instances.update(doc["order_id"] for doc in store.query(SAGAS, {}))
    started = sum(instances[spec.instance_id] for spec in specs)
    charges = len(store.query(PAYMENTS, {"state": "charged"}))
    if started != len(specs) or charges != len(specs):
        problems.append(f"{started} sagas and {charges} charges for {len(specs)} orders")
    problems += sagas.unexpected(specs, found) + [f"stuck: {s}" for s in stuck]
    problems += [str(v) for v in invariants.check(store, catalogue_stock(), found)]
    figure = (
        f"{len(specs)} orders ({lab.scale.repeated_orders} per kind), each posted {REPEATS}x at "
        f"once and {REPEATS}x in sequence: {started} sagas, {charges} charges; every repeat "
        f"answered 200 with the same id, another payload under the same id 409; "
        f"{len(problems)} violations"
    )
    return Figure(5, TITLE, figure, problems)


def _order(kind: str, n: int) -> SagaSpec:
    order_id = f"same-{kind[:3]}-{n}"
    return SagaSpec(kind, order_id, body_for(kind, order_id, [{"sku": "b", "quantity": 2}], 42))


def _post_repeatedly(client: Client, spec: SagaSpec) -> list[str]:
    gate = threading.Barrier(REPEATS)

    def together(_: int) -> Response:
        gate.wait()
        return client.post(spec.path, spec.body)

    answers = in_parallel(together, range(REPEATS), threads=REPEATS)
    answers += [client.post(spec.path, spec.body) for _ in range(REPEATS)]
    codes = Counter(answer.status for answer in answers)
    ids = {answer.json().get("id") for answer in answers}
    problems = []
    if codes != {202: 1, 200: 2 * REPEATS - 1} or ids != {spec.instance_id}:
        problems.append(f"{spec.instance_id}: answers {dict(codes)}, ids {ids}")
    changed = client.post(spec.path, {**spec.body, "amount": 43})
    if changed.status != 409:
        problems.append(f"{spec.instance_id}: another payload answered {changed.status}")
    return problems
