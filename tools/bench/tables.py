"""The report's markdown tables."""

from __future__ import annotations

from typing import Any

from tools.bench.plan import SAGAS
from tools.bench.summary import Figures
from tools.bench.targets import per_step

ENGINE_NAMES = {"devhost": "dev host", "durabletask": "durabletask", "floor": "plain calls"}
NOT_COUNTED = "n/a"


def table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def throughput_table(cells: dict[tuple[str, str, int], Figures]) -> str:
    header = ["saga", "clients", "engine", "sagas", "sagas/s", "p50 ms", "p95 ms", "p99 ms"]
    header += ["CPU ms/saga", "peak RSS MB", "store calls/saga", "outcomes"]
    return table(header, [_cell_row(key, f) for key, f in sorted(cells.items(), key=_cell_order)])


def _cell_row(key: tuple[str, str, int], f: Figures) -> list[Any]:
    engine, kind, concurrency = key
    timings = [f"{f[k]:.1f}" for k in ("p50_ms", "p95_ms", "p99_ms", "cpu_ms")]
    return [
        kind,
        concurrency,
        ENGINE_NAMES[engine],
        f["sagas"],
        f"{f['per_s']:.1f}",
        *timings,
        f"{f['rss_mb']:.0f}",
        f"{f['store_calls']:.1f}",
        _outcomes(f["statuses"]),
    ]


def ratio_table(
    cells: dict[tuple[str, str, int], Figures],
    peer_ratio: dict[tuple[str, int], float],
    floor_ratio: dict[tuple[str, int], float],
) -> str:
    header = ["saga", "clients", "throughput: dev host ÷ durabletask"]
    header += ["CPU/saga: durabletask ÷ dev host", "p50: durabletask ÷ dev host"]
    header += ["plain calls ÷ dev host (the cost of durability)"]
    rows = []
    for (kind, concurrency), ratio in sorted(peer_ratio.items(), key=_saga_order):
        host = cells[("devhost", kind, concurrency)]
        peer = cells[("durabletask", kind, concurrency)]
        rows.append(
            [
                kind,
                concurrency,
                f"**{ratio:.2f}x**",
                f"{peer['cpu_ms'] / host['cpu_ms']:.2f}x",
                f"{peer['p50_ms'] / host['p50_ms']:.2f}x",
                f"{floor_ratio[(kind, concurrency)]:.1f}x",
            ]
        )
    return table(header, rows)


def roundtrip_table(rows: list[dict[str, Any]], by_step: bool = True) -> str:
    header = ["saga", "path", "outcome", "round trips by step", "total", "steps", "per step"]
    header += ["floor", "HTTP requests", "ms/saga"]
    body = [_roundtrip_row(row) for row in rows]
    if not by_step:
        header.pop(3)
        body = [row[:3] + row[4:] for row in body]
    return table(header, body)


def _roundtrip_row(row: dict[str, Any]) -> list[Any]:
    http = row.get("http_requests")
    return [
        row["kind"],
        row["path"].replace("_", " "),
        ", ".join(row["status"]),
        _by_step(row),
        f"{row['total']:g}",
        f"{sum(row['runs'].values()):g}",
        f"{per_step(row):.2f}",
        f"{row['floor']:g}",
        NOT_COUNTED if http is None else f"{http:g}",
        f"{row['ms_per_saga']:.1f}",
    ]


def scaling_table(curves: dict[str, dict[int, Figures]]) -> str:
    """Per width; the marginal cost (per item added since the previous width) stays flat when
    the cost grows linearly, where time per item alone would hide growth behind fixed costs."""
    header = ["engine", "items", "wall ms", "ms per item", "marginal ms per added item"]
    header += ["CPU ms", "store calls", "episodes"]
    rows = []
    for engine, curve in curves.items():
        previous: tuple[int, float] | None = None
        for width, f in sorted(curve.items()):
            marginal = NOT_COUNTED
            if previous is not None:
                marginal = f"{(f['wall_ms'] - previous[1]) / (width - previous[0]):.2f}"
            previous = (width, f["wall_ms"])
            rows.append(
                [
                    ENGINE_NAMES[engine],
                    width,
                    f"{f['wall_ms']:.0f}",
                    f"{f['per_item_ms']:.2f}",
                    marginal,
                    f"{f['cpu_ms']:.0f}",
                    f["store_calls"],
                    f.get("episodes", NOT_COUNTED),
                ]
            )
    return table(header, rows)


def _by_step(row: dict[str, Any]) -> str:
    parts = []
    for activity, runs in row["runs"].items():  # every step that ran, in order, even if it
        calls = row["by_step"].get(activity, 0)  # made no store call (a refusal)
        parts.append(f"{activity} {calls:g}" + (f" ({runs:g} steps)" if runs > 1 else ""))
    return " · ".join(parts)


def _outcomes(statuses: dict[str, int]) -> str:
    return ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))


def _cell_order(item: tuple[tuple[str, str, int], Figures]) -> tuple[int, int, int]:
    (engine, kind, concurrency), _ = item
    return (SAGAS.index(kind), concurrency, list(ENGINE_NAMES).index(engine))


def _saga_order(item: tuple[tuple[str, int], float]) -> tuple[int, int]:
    (kind, concurrency), _ = item
    return (SAGAS.index(kind), concurrency)
