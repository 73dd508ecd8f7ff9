"""The scaling chart: wall time and time per item of one parallel saga against its fan-out
width, per engine (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # after choosing the backend

CHART_SLICES = 40  # points per hot-SKU curve: finer than the report's tenths
LABELS = {"devhost": "dev host (SQLite)", "durabletask": "durabletask-python (in-memory)"}


def scaling_chart(curves: dict[str, dict[int, dict[str, Any]]], path: Path) -> None:
    """Write the PNG to ``path``: left wall time, with linear growth from the narrowest width
    drawn dashed; right time per item (flat or falling: linear). Both log-log."""
    figure, (wall, per_item) = plt.subplots(1, 2, figsize=(10, 4), dpi=110)
    for engine, curve in curves.items():
        if not curve:
            continue
        widths = sorted(curve)
        walls = [curve[w]["wall_ms"] for w in widths]
        (line,) = wall.plot(widths, walls, marker="o", label=LABELS.get(engine, engine))
        linear = [walls[0] * w / widths[0] for w in widths]
        wall.plot(widths, linear, linestyle="--", color=line.get_color(), alpha=0.5)
        per_item.plot(
            widths,
            [curve[w]["per_item_ms"] for w in widths],
            marker="o",
            color=line.get_color(),
            label=LABELS.get(engine, engine),
        )
    wall.set(xscale="log", yscale="log", xlabel="items (fan-out width)", ylabel="wall time (ms)")
    wall.set_title("one parallel saga (dashed: linear growth)")
    per_item.set(xscale="log", yscale="log", xlabel="items (fan-out width)", ylabel="ms per item")
    per_item.set_title("time per item")
    for axes in (wall, per_item):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)


def hot_sku_chart(curves: dict[str, list[tuple[int, float]]], path: Path) -> None:
    """Write the PNG to ``path``: each run's throughput (sagas/s) against orders served."""
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=110)
    for label, points in curves.items():
        axes.plot([p[0] for p in points], [p[1] for p in points], marker=".", label=label)
    axes.set(xlabel="orders served", ylabel="sagas/s", ylim=(0, None))
    axes.set_title("every order on one SKU: throughput as the run goes on (8 HTTP clients)")
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
