"""Scenario 8: thousands of hostile request bodies (hypothesis) against the three starters of a
host configured as in production -> no answer >= 500, none accepted, no orchestration started,
no document written, no traceback in the host's log."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, Phase, given, seed, settings

from saga.containers import ORDERS, PAYMENTS, SAGAS
from tools.soak import invariants
from tools.soak.client import Client, Response
from tools.soak.hostile import CATEGORIES, Payload, payloads
from tools.soak.lab import Lab
from tools.soak.report import Figure
from tools.soak.sagas import in_parallel

TITLE = "Hostile HTTP payloads (hypothesis) against the starters"


def run(lab: Lab) -> Figure:
    generated = generate(lab.scale.hostile_payloads, lab.seed)
    host = lab.host()  # production settings: no fault injection, no simulate block
    client = lab.client(host)
    update = lab.progress("hostile requests", len(generated))
    answers = in_parallel(lambda p: _send(client, p), generated)
    update(len(answers))
    codes = Counter(answer.status for answer in answers)
    problems = [
        f"{answer.status} for {payload.category} {payload.route}: {payload.body[:200]!r}"
        for payload, answer in zip(generated, answers, strict=True)
        if answer.status >= 500 or answer.status < 400
    ]
    started = client.instances()
    store = lab.store(host)
    written = {c: len(store.query(c, {})) for c in (ORDERS, PAYMENTS, SAGAS)}
    problems += [f"orchestration started: {row['instanceId']}" for row in started]
    problems += [f"{count} {c} written" for c, count in written.items() if count]
    problems += [str(v) for v in invariants.check(store, {}, {})]
    tracebacks = host.log().count("Traceback")
    problems += [f"{tracebacks} tracebacks in the host log"] if tracebacks else []
    kinds = Counter(payload.category for payload in generated)
    figure = (
        f"{len(generated):,} hostile requests ({len(kinds)} kinds: "
        f"{', '.join(f'{n} {k}' for k, n in kinds.items())}): answers "
        f"{', '.join(f'{n:,}x {code}' for code, n in sorted(codes.items()))}; "
        f"{sum(n for c, n in codes.items() if c >= 500)} >= 500, "
        f"{sum(n for c, n in codes.items() if c < 400)} accepted, {len(started)} orchestrations "
        f"started, {sum(written.values())} documents written, {tracebacks} tracebacks; "
        f"{len(problems)} violations"
    )
    return Figure(8, TITLE, figure, problems)


def generate(count: int, seed_value: int) -> list[Payload]:
    """``count`` payloads, as many of each category (hypothesis, reproducible by seed)."""
    found: list[Payload] = []
    for number, category in enumerate(CATEGORIES):
        share = count // len(CATEGORIES) + (number < count % len(CATEGORIES))

        @seed(seed_value)
        @settings(
            max_examples=share,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(payloads(category))
        def collect(payload: Payload) -> None:
            found.append(payload)

        collect()
    return found


def _send(client: Client, payload: Payload) -> Response:
    return client.send("POST", payload.route, payload.body, payload.content_type)
