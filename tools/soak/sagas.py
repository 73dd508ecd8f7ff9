"""Sagas as the soak drives them: what to post where and which outcome it must reach; posting
many at once, waiting until every one is terminal, and reading back each public status."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from adapters.sqlite import SqliteStore
from saga.containers import SAGAS
from tools.soak.client import Client, Response
from tools.soak.invariants import Outcome
from tools.soak.lab import Progress

KINDS = ("sequential", "parallel", "choreography")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class SagaSpec:
    """One saga to start: its kind, business id, request body and the outcome it must reach."""

    kind: str
    order_id: str
    body: dict[str, Any]
    expected: str = "completed"
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def path(self) -> str:
        return f"/api/saga/{self.kind}"

    @property
    def instance_id(self) -> str:
        return self.order_id if self.kind == "choreography" else f"{self.kind}-{self.order_id}"

    @property
    def status_path(self) -> str:
        if self.kind == "choreography":
            return f"/api/saga/choreography/{self.order_id}/status"
        return f"/api/saga/{self.instance_id}/status"


def body_for(
    kind: str,
    order_id: str,
    items: list[dict[str, Any]],
    amount: int | None = None,
    simulate: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The request body of ``kind`` (the parallel saga names its id ``batch_id``)."""
    body: dict[str, Any] = {"batch_id" if kind == "parallel" else "order_id": order_id}
    body["items"] = items
    if amount is not None or kind != "parallel":
        body["amount"] = amount if amount is not None else 10
    if simulate:
        body["simulate"] = simulate
    return body


def in_parallel(work: Callable[[T], R], todo: Sequence[T], threads: int = 8) -> list[R]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(work, todo))


def post_all(
    client: Client,
    specs: Sequence[SagaSpec],
    progress: Progress,
    retry_for: float = 0.0,
    threads: int = 8,
) -> list[str]:
    """Start every saga; returns what went wrong (anything but a 202 for a new saga)."""
    update, done = progress("start sagas", len(specs)), itertools.count(1)

    def start(spec: SagaSpec) -> Response:
        response = client.post(spec.path, spec.body, retry_for=retry_for)
        update(next(done))
        return response

    answers = in_parallel(start, specs, threads)
    # After a crash a client's retry may find its saga already started: 200 is the same saga.
    accepted = {202, 200} if retry_for else {202}
    return [
        f"start {spec.instance_id}: {answer.status} {answer.text[:120]}"
        for spec, answer in zip(specs, answers, strict=True)
        if answer.status not in accepted
    ]


def settle(
    client: Client, store_path: Path, specs: Sequence[SagaSpec], progress: Progress, timeout: float
) -> list[str]:
    """Wait until every saga is terminal; returns the instance ids still running at ``timeout``."""
    update = progress("settle sagas", len(specs))
    deadline = time.monotonic() + timeout
    store = SqliteStore(str(store_path))
    try:
        while True:
            running = _running(client, store, specs)
            update(len(specs) - len(running))
            if not running or time.monotonic() >= deadline:
                return sorted(running)
            time.sleep(0.1)
    finally:
        store.close()


def _running(client: Client, store: SqliteStore, specs: Iterable[SagaSpec]) -> set[str]:
    orchestrated = client.running_instances()
    chained = {doc["order_id"] for doc in store.query(SAGAS, {"status": "running"})}
    return {
        spec.instance_id
        for spec in specs
        if spec.instance_id in (chained if spec.kind == "choreography" else orchestrated)
    }


def outcomes(client: Client, specs: Sequence[SagaSpec]) -> dict[str, Outcome]:
    """Each saga's public status, by order id."""
    found = in_parallel(lambda spec: outcome(client, spec), specs)
    return {spec.order_id: end for spec, end in zip(specs, found, strict=True)}


def outcome(client: Client, spec: SagaSpec) -> Outcome:
    response = client.get(spec.status_path, retry_for=30)
    if response.status != 200:
        return Outcome(f"missing ({response.status})")
    body = response.json()
    failed = (body["output"] or {}).get("failed_compensations") or []
    return Outcome(body["saga_status"], tuple(f["step"] for f in failed), body)


def unexpected(specs: Sequence[SagaSpec], found: dict[str, Outcome]) -> list[str]:
    """Sagas whose outcome is not the one their request must lead to."""
    return [
        f"outcome {spec.instance_id}: {found[spec.order_id].status}, expected {spec.expected}"
        for spec in specs
        if found[spec.order_id].status != spec.expected
    ]
