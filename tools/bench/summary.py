"""Figures from a run's raw results: per (engine, saga, concurrency) the median throughput over
rounds, pooled latency percentiles, CPU per saga and peak RSS; ratios taken round by round (the
engines compared ran side by side), then their median; scaling medians per fan-out width."""

from __future__ import annotations

import statistics
from typing import Any

from tools.bench.execute import Results
from tools.bench.plan import CONCURRENCY, ENGINES, SAGAS, SCALING_ENGINES

Figures = dict[str, Any]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def throughput_cell(rounds: list[dict[str, Any]]) -> Figures:
    latencies = [s for r in rounds for s in r["latencies_s"]]
    sagas = len(latencies)
    statuses: dict[str, int] = {}
    for r in rounds:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    return {
        "sagas": sagas,
        "per_s": statistics.median(len(r["latencies_s"]) / r["wall_s"] for r in rounds),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "cpu_ms": statistics.median(r["cpu_s"] * 1000 / len(r["latencies_s"]) for r in rounds),
        "rss_mb": max(r["peak_rss_mb"] for r in rounds),
        "store_calls": sum(r["store_calls"] for r in rounds) / sagas,
        "statuses": statuses,
    }


def throughput(results: Results) -> dict[tuple[str, str, int], Figures]:
    """Figures per (engine, saga, concurrency)."""
    cells: dict[tuple[str, str, int], Figures] = {}
    for engine in ENGINES:
        for kind in SAGAS:
            for concurrency in CONCURRENCY:
                rounds = _rounds(results, engine, kind, concurrency)
                if rounds:
                    cells[(engine, kind, concurrency)] = throughput_cell(rounds)
    return cells


def ratios(results: Results, engine: str, other: str) -> dict[tuple[str, int], float]:
    """Median over rounds of ``engine``'s sagas/s over ``other``'s, per (saga, concurrency)."""
    found: dict[tuple[str, int], float] = {}
    for kind in SAGAS:
        for concurrency in CONCURRENCY:
            pairs = zip(
                _rounds(results, engine, kind, concurrency),
                _rounds(results, other, kind, concurrency),
                strict=False,  # a cell one of them did not run has no ratio
            )
            per_round = [_rate(mine) / _rate(theirs) for mine, theirs in pairs]
            if per_round:
                found[(kind, concurrency)] = statistics.median(per_round)
    return found


def scaling(results: Results) -> dict[str, dict[int, Figures]]:
    """Per engine and fan-out width: median wall time, time per item, CPU, store calls."""
    curves: dict[str, dict[int, Figures]] = {}
    for engine in SCALING_ENGINES:
        runs = results.get(("scaling", engine), {}).get("runs", {})
        curves[engine] = {
            int(width): {
                "wall_ms": statistics.median(r["wall_s"] for r in samples) * 1000,
                "per_item_ms": statistics.median(r["wall_s"] for r in samples) * 1000 / int(width),
                "cpu_ms": statistics.median(r["cpu_s"] for r in samples) * 1000,
                "store_calls": samples[0]["store_calls"],
                "statuses": sorted({r["status"] for r in samples}),
                **(
                    {"episodes": statistics.median(r["episodes"] for r in samples)}
                    if "episodes" in samples[0]
                    else {}
                ),
            }
            for width, samples in runs.items()
        }
    return curves


def _rounds(results: Results, engine: str, kind: str, concurrency: int) -> list[dict[str, Any]]:
    keyed = [
        (key[4], value)
        for key, value in results.items()
        if key[0] == "throughput" and key[1:4] == (engine, kind, concurrency)
    ]
    return [value for _, value in sorted(keyed, key=lambda pair: pair[0])]


def _rate(run: dict[str, Any]) -> float:
    return len(run["latencies_s"]) / float(run["wall_s"])
