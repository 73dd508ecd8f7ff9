"""What two runs of the same sagas must agree on: each order's business state and public status,
and the stock of the SKUs they used."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tools.soak.invariants import Outcome
from tools.soak.snapshot import Snapshot

State = dict[str, Any]


def final_state(snap: Snapshot, outcomes: Mapping[str, Outcome], skus: Iterable[str]) -> State:
    state: State = {
        order_id: {**snap.order_view(order_id), **_status_view(outcome)}
        for order_id, outcome in outcomes.items()
    }
    counts = ("available", "reserved", "shipped")
    state["stock"] = {sku: [snap.items[sku][count] for count in counts] for sku in skus}
    return state


def differences(run: str, clean: State, other: State) -> list[str]:
    return [
        f"{run} differs for {key}: {clean[key]} != {other.get(key)}"
        for key in clean
        if clean[key] != other.get(key)
    ]


def _status_view(outcome: Outcome) -> State:
    body = outcome.body or {}
    error = body.get("error") or {}
    return {
        "status": outcome.status,
        "completed_steps": body.get("completed_steps"),
        "compensated_steps": body.get("compensated_steps"),
        "failed_compensations": outcome.failed_compensations,
        "error": (error.get("step"), error.get("code")),
    }
