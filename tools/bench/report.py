"""docs/BENCHMARKS.md from a run's figures (markdown tables poured into ``template.md``), and the
shorter summary printed at the end of a run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

from tools.bench import hot_report
from tools.bench.summary import Figures
from tools.bench.tables import (
    ratio_table,
    roundtrip_table,
    scaling_table,
    table,
    throughput_table,
)
from tools.bench.targets import Verdict

TEMPLATE = Path(__file__).with_name("template.md")


@dataclass(frozen=True)
class RunReport:
    command: str
    date: str
    duration_s: float
    machine: dict[str, str]
    cells: dict[tuple[str, str, int], Figures]
    peer_ratio: dict[tuple[str, int], float]
    floor_ratio: dict[tuple[str, int], float]
    roundtrips: dict[str, list[dict[str, Any]]]
    curves: dict[str, dict[int, Figures]]
    verdicts: list[Verdict]
    chart: str
    hot_sku: list[dict[str, Any]] = field(default_factory=list)
    hot_chart: str = ""


def render(run: RunReport) -> str:
    return Template(TEMPLATE.read_text()).substitute(
        command=run.command,
        date=run.date,
        duration=f"{run.duration_s / 60:.1f} minutes",
        machine=table(["", ""], [[k, v] for k, v in run.machine.items()]),
        throughput=throughput_table(run.cells),
        ratios=ratio_table(run.cells, run.peer_ratio, run.floor_ratio),
        roundtrips=_roundtrips(run, by_step=True),
        scaling=scaling_table(run.curves),
        chart=run.chart,
        targets=_targets(run),
        hot_sku=hot_report.section(run.hot_sku, "Measured in this run.", run.hot_chart),
        closing="\n".join(
            f"- **{v.target}**: {'met' if v.met else 'not met'}. Measured: {v.measured}. "
            f"Why: {v.why}."
            for v in run.verdicts
        ),
    )


def console_summary(run: RunReport) -> str:
    """The figures without the prose (the report has it)."""
    sections = {
        "Throughput and latency": throughput_table(run.cells),
        "Side by side": ratio_table(run.cells, run.peer_ratio, run.floor_ratio),
        "Store round trips per saga": _roundtrips(run, by_step=False),
        "Scaling with fan-out width": scaling_table(run.curves),
        "Hot SKU": hot_report.section(run.hot_sku, "", run.hot_chart),
        "Targets": _targets(run),
    }
    return "\n\n".join(f"## {title}\n\n{body}" for title, body in sections.items())


def _roundtrips(run: RunReport, by_step: bool) -> str:
    return "\n\n".join(
        f"**{store}**\n\n{roundtrip_table(rows, by_step)}" for store, rows in run.roundtrips.items()
    )


def _targets(run: RunReport) -> str:
    rows = [[v.target, v.measured, "yes" if v.met else "**no**"] for v in run.verdicts]
    return table(["target", "measured", "met"], rows)
