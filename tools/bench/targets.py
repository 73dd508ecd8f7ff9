"""Issue 12's targets (≥ 3x the peer's throughput at 1 and 8 clients, sequential p50 ≤ 6 ms at 1
client) and issue 7's others, checked against a run's figures, each with why it is met or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tools.bench.plan import SAGAS
from tools.bench.summary import Figures

PEER_RATIO = 3  # dev host ÷ durabletask sagas/s, sequential, at every concurrency
P50_MS = 6.0


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool
    why: str


def verdicts(
    cells: dict[tuple[str, str, int], Figures],
    peer_ratio: dict[tuple[str, int], float],
    roundtrips: dict[str, list[dict[str, Any]]],
    curves: dict[str, dict[int, Figures]],
) -> list[Verdict]:
    return [
        _throughput(peer_ratio),
        _latency(cells),
        *(_roundtrips(kind, roundtrips) for kind in SAGAS if roundtrips),
        _scaling(curves.get("devhost", {})),
    ]


def _throughput(ratio: dict[tuple[str, int], float]) -> Verdict:
    sequential = {c: r for (kind, c), r in ratio.items() if kind == "sequential"}
    measured = ", ".join(f"{r:.2f}x at concurrency {c}" for c, r in sorted(sequential.items()))
    met = bool(sequential) and min(sequential.values()) >= PEER_RATIO
    why = (
        "both engines are CPU-bound here (one Python process, the GIL); the dev host spends "
        "fewer CPU ms per saga: an episode replays pre-serialized JSON and commits one SQLite "
        "transaction, while the peer sends the whole history over gRPC (protobuf) for every "
        "work item and answers through gRPC as well"
    )
    if not met:
        why = f"the host's CPU per saga is not yet 1/{PEER_RATIO:g} of the peer's. " + why
    return Verdict(f"≥ {PEER_RATIO:g}x the peer's sequential throughput", measured, met, why)


def _latency(cells: dict[tuple[str, str, int], Figures]) -> Verdict:
    cell = cells.get(("devhost", "sequential", 1))
    p50 = cell["p50_ms"] if cell else float("nan")
    why = (
        "seven episodes (the start and one per step), each a full replay through the SDK and one "
        "SQLite commit, and six activity calls, each a hop to the thread pool and back: the "
        "latency is the host's CPU time per saga, so it moves with the machine's load"
    )
    target = f"p50 ≤ {P50_MS:g} ms, sequential saga, concurrency 1"
    return Verdict(target, f"{p50:.1f} ms", p50 <= P50_MS, why)


def _roundtrips(kind: str, roundtrips: dict[str, list[dict[str, Any]]]) -> Verdict:
    rows = [row for store_rows in roundtrips.values() for row in store_rows if row["kind"] == kind]
    worst = max(rows, key=per_step)
    stores = " and ".join(roundtrips)
    measured = f"at most {per_step(worst):.2f} ({worst['path'].replace('_', ' ')}), on {stores}"
    met = per_step(worst) <= 2
    why = (
        "every round trip is a write or the read its rule needs; reserve, commit and release are "
        "one transactional batch per SKU, and the parallel saga prices each SKU in its own step"
    )
    if not met:
        why = "a step costs more than two round trips: see the by-step column. " + why
    return Verdict(f"≤ 2 store round trips per step, {kind} saga", measured, met, why)


def _scaling(curve: dict[int, Figures]) -> Verdict:
    if len(curve) < 2:
        return Verdict("time per item at 1,000 items ≤ 2x at 10", "not measured", False, "")
    narrow, wide = min(curve), max(curve)
    growth = curve[wide]["per_item_ms"] / curve[narrow]["per_item_ms"]
    measured = (
        f"{curve[wide]['per_item_ms']:.2f} ms at {wide} vs {curve[narrow]['per_item_ms']:.2f} ms "
        f"at {narrow} ({growth:.2f}x)"
    )
    episodes = curve[wide].get("episodes")
    replays = f"{episodes:g} times" if episodes is not None else "a few times"
    why = (
        "each replay reads the whole history, but while a fan-out's activities run the host "
        f"coalesces their completions into few episodes (the {wide}-item saga replayed "
        f"{replays}, not once per item), and a saga's fixed cost is spread over more items"
    )
    return Verdict(f"time per item at {wide} items ≤ 2x at {narrow}", measured, growth <= 2, why)


def per_step(row: dict[str, Any]) -> float:
    return float(row["total"]) / max(1.0, sum(row["runs"].values()))
