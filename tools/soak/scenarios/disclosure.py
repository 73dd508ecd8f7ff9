"""Scenario 9: the status route probed with other customers' order ids, guessed ids and hostile
ids -> the documented status shape or 404, nothing more (no input, no customer id, no management
URL); and, over the whole run, no public response, host log or orchestration input that shows a
management URL, a key or a planted secret."""

from __future__ import annotations

import random
import string
from collections import Counter
from typing import Any
from urllib.parse import quote

from tools.soak import sagas
from tools.soak.client import Response
from tools.soak.lab import Lab
from tools.soak.report import Figure
from tools.soak.sagas import KINDS, SagaSpec, body_for
from triggers.status import STATUS_FIELDS

TITLE = "Status by guessed ids; no management URL, key or secret anywhere"
OUTPUT_KEYS = {
    "status", "order_id", "failed_step", "reason", "completed_steps", "compensated_steps",
    "failed_compensations", "facts",
}  # fmt: skip
NOT_FOUND_KEYS = {"error", "message"}
GUESS_ALPHABET = string.ascii_lowercase + string.digits + "-"
HOSTILE_IDS = [
    "../../runtime/webhooks/durabletask/instances",
    "..%2F..%2Fruntime%2Fwebhooks%2Fdurabletask%2Finstances",
    "sequential-x/../../../runtime/webhooks/durabletask/instances",
    "@orchestrator", "%00", "sequential-", "parallel-%2e%2e", "sequential-' OR '1'='1",
    "x" * 2_000, "séquentiel-1", "sequential-victim?showInput=true", "sequential-victim#frag",
]  # fmt: skip


def run(lab: Lab) -> Figure:
    host = lab.host()
    client = lab.client(host)
    victims = [_victim(kind, n) for kind in KINDS for n in range(4)]
    sagas.post_all(client, victims, lab.progress)
    stuck = sagas.settle(client, host.store_path, victims, lab.progress, 60)
    rng = lab.rng(9)
    probes = [*_probe_paths(victims, rng, lab.scale.status_probes)]
    answers = sagas.in_parallel(client.get, probes)
    problems = [f"stuck: {s}" for s in stuck]
    problems += [p for path, a in zip(probes, answers, strict=True) for p in _reveals(path, a)]
    codes = Counter(answer.status for answer in answers)
    lab.audit()
    watch = lab.watch
    figure = (
        f"{len(probes):,} status probes (other customers' orders, guessed and hostile ids): "
        f"{codes[200]} answered the documented shape and nothing more (no input, no customer "
        f"id), {codes[404]} 404, {sum(n for c, n in codes.items() if c >= 500)} >= 500; "
        f"{watch.responses:,} public responses, {watch.inputs:,} orchestration inputs and "
        f"{watch.log_bytes / 1e6:.1f} MB of host logs scanned: {len(watch.leaks)} management "
        f"URLs, keys or planted secrets; {len(problems) + len(watch.leaks)} violations"
    )
    return Figure(9, TITLE, figure, problems)


def _victim(kind: str, n: int) -> SagaSpec:
    order_id = f"victim-{kind[:3]}-{n}"
    body = body_for(kind, order_id, [{"sku": "a", "quantity": 1}], 200_000 if n % 2 else 12)
    body["customer_id"] = f"private-customer-{kind[:3]}-{n}"
    return SagaSpec(kind, order_id, body, "compensated" if n % 2 else "completed")


def _probe_paths(victims: list[SagaSpec], rng: random.Random, count: int) -> list[str]:
    """Every victim's status (also asking for its input and history), hostile ids on both
    routes, orchestrated ids on the choreography route; then guessed ids up to ``count``."""
    paths = [victim.status_path for victim in victims]
    paths += [f"{v.status_path}?showInput=true&showHistory=true" for v in victims]
    for prefix in ("/api/saga/", "/api/saga/choreography/"):
        paths += [f"{prefix}{quote(hostile, safe='/%@')}/status" for hostile in HOSTILE_IDS]
    paths += [f"/api/saga/choreography/{v.instance_id}/status" for v in victims]
    while len(paths) < count:
        kind = rng.choice(KINDS)
        guess = "".join(rng.choices(GUESS_ALPHABET, k=rng.randint(1, 20)))
        spec = SagaSpec(kind, guess, {})
        paths.append(spec.status_path)
    return paths


def _reveals(path: str, answer: Response) -> list[str]:
    """What is wrong with one answer: a 5xx, or more than the documented shape."""
    if answer.status >= 500:
        return [f"{answer.status} for {path[:100]}"]
    if answer.status != 200:
        body = _json(answer)
        extra = set(body) - NOT_FOUND_KEYS if isinstance(body, dict) else set()
        return [f"{path[:100]}: {answer.status} with {sorted(extra)}"] if extra else []
    body = _json(answer)
    problems = []
    if set(body) != STATUS_FIELDS:
        problems.append(f"{path[:100]}: keys {sorted(set(body) ^ STATUS_FIELDS)}")
    if set(body.get("output") or {}) - OUTPUT_KEYS:
        problems.append(f"{path[:100]}: output keys {sorted(set(body['output']) - OUTPUT_KEYS)}")
    if "private-customer" in answer.text:
        problems.append(f"{path[:100]}: shows the customer id")
    return problems


def _json(answer: Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return {"<not json>": answer.text[:80]}
