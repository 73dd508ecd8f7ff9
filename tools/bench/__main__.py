"""``python -m tools.bench [--n N] [--rounds R] [--quick] [--only PART] [--out PATH]
[--no-cosmos] [--hot-sqlite N] [--hot-cosmos N] [--before REV [--before-minutes M] [--no-after]]
[--after REV] [--save PATH] [--merge PATH]...`` (``make bench`` runs it bare): measure the dev
host against the durabletask-python peer and the plain-call floor, count store round trips,
measure fan-out scaling and the hot-SKU scenario (``--before``: also on the app as it was at REV,
side by side); print the figures and write the report (a full run writes docs/BENCHMARKS.md,
docs/bench_scaling.png and docs/bench_hot_sku.png; ``--only hot-sku --out PATH`` rewrites only
that report's hot-SKU section; ``--save``/``--merge`` carry hot-SKU results from one run into
another's report)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markdown import Markdown

from tools.bench import hot_report, machine, summary, targets
from tools.bench.chart import CHART_SLICES, hot_sku_chart, scaling_chart
from tools.bench.execute import Results, run_jobs
from tools.bench.plan import PARTS, Options, jobs
from tools.bench.report import RunReport, console_summary, render
from tools.bench.versions import versions

DOC = Path(__file__).resolve().parents[2] / "docs" / "BENCHMARKS.md"
CHART = "bench_scaling.png"  # beside the report
HOT_CHART = "bench_hot_sku.png"


def parse_options(argv: list[str]) -> tuple[Options, Path | None, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--n", type=int, help="sagas per engine, saga and concurrency (1000)")
    parser.add_argument("--rounds", type=int, help="rounds the sagas are split over (3)")
    parser.add_argument("--quick", action="store_true", help="40 sagas, 1 round: under a minute")
    parser.add_argument("--out", type=Path, help="report path (full run: docs/BENCHMARKS.md)")
    parser.add_argument("--no-cosmos", action="store_true", help="skip the Cosmos runs")
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run only this part (repeatable); the report then lacks the others",
    )
    parser.add_argument("--hot-sqlite", type=int, help="hot-SKU orders on SQLite (20000)")
    parser.add_argument("--hot-cosmos", type=int, help="hot-SKU orders on Cosmos (5000)")
    parser.add_argument(
        "--before-minutes", type=float, help="no saga of a --before run starts after this"
    )
    parser.add_argument("--before", metavar="REV", help="also run the hot SKU on this revision")
    parser.add_argument("--no-after", action="store_true", help="with --before: only REV")
    parser.add_argument("--after", metavar="REV", help="the after version: REV, not this tree")
    parser.add_argument("--save", type=Path, help="also write the hot-SKU results (JSON) here")
    parser.add_argument(
        "--merge", type=Path, action="append", default=[], help="hot-SKU results of earlier runs"
    )
    args = parser.parse_args(argv)
    options = Options.quick() if args.quick else Options()
    options = Options(
        n=args.n or options.n,
        rounds=args.rounds or options.rounds,
        widths=options.widths,
        scaling_repeats=options.scaling_repeats,
        roundtrip_sagas=options.roundtrip_sagas,
        cosmos=not args.no_cosmos,
        parts=tuple(args.only or PARTS),
        hot_sqlite=options.hot_sqlite if args.hot_sqlite is None else args.hot_sqlite,
        hot_cosmos=options.hot_cosmos if args.hot_cosmos is None else args.hot_cosmos,
        before_budget_s=args.before_minutes * 60 if args.before_minutes else None,
    )
    partial = args.quick or args.only
    return options, args.out or (None if partial else DOC), args


def hot_results(results: Results) -> list[dict[str, Any]]:
    return [value for key, value in results.items() if key[0] == "hot_sku"]


def report(results: Results, command: str, started: float, chart: str) -> RunReport:
    cells = summary.throughput(results)
    peer_ratio = summary.ratios(results, "devhost", "durabletask")
    roundtrips = {key[1]: value["rows"] for key, value in results.items() if key[0] == "roundtrips"}
    curves = summary.scaling(results)
    return RunReport(
        command=command,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        duration_s=time.monotonic() - started,
        machine={**machine.describe(), "load average (1 min) at the end": _load()},
        cells=cells,
        peer_ratio=peer_ratio,
        floor_ratio=summary.ratios(results, "floor", "devhost"),
        roundtrips=roundtrips,
        curves=curves,
        verdicts=targets.verdicts(cells, peer_ratio, roundtrips, curves),
        chart=chart,
        hot_sku=hot_results(results),
        hot_chart=HOT_CHART,
    )


def main(argv: list[str]) -> int:
    options, out, args = parse_options(argv)
    console = Console()
    started = time.monotonic()
    with versions(args.before, not args.no_after, args.after) as compared:
        results = run_jobs(jobs(options, compared), console)
    command = " ".join(["python -m tools.bench", *argv])
    if args.save is not None:
        args.save.write_text(json.dumps(hot_results(results)))
    if options.parts == ("hot-sku",):
        earlier = [r for path in args.merge for r in json.loads(path.read_text())]
        write_hot_sku([*earlier, *hot_results(results)], command, started, console, out)
        return 0
    figures = report(results, command, started, CHART)
    console.print(Markdown(console_summary(figures)))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(figures))
        scaling_chart(summary.scaling(results), out.parent / CHART)
        write_hot_chart(figures.hot_sku, out.parent / HOT_CHART)
        console.print(f"wrote {out}, {out.parent / CHART} and {out.parent / HOT_CHART}")
    return 0


def write_hot_sku(
    results: list[dict[str, Any]], command: str, started: float, console: Console, out: Path | None
) -> None:
    """Print the hot-SKU section; with ``out``, put it in that report and redraw its chart."""
    minutes = (time.monotonic() - started) / 60
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    note = f"Measured on {when} by `{command}`, in {minutes:.1f} minutes, on: {_machine()}."
    section = hot_report.section(results, note, HOT_CHART)
    console.print(Markdown(section))
    if out is not None:
        out.write_text(hot_report.splice(out.read_text() if out.exists() else "", section))
        write_hot_chart(results, out.parent / HOT_CHART)
        console.print(f"wrote the hot-SKU section of {out} and {out.parent / HOT_CHART}")


def write_hot_chart(results: list[dict[str, Any]], path: Path) -> None:
    curves = {
        hot_report.label(r): hot_report.slices(r["finished_s"], CHART_SLICES) for r in results
    }
    hot_sku_chart(curves, path)


def _machine() -> str:
    described = {**machine.describe(), "load average (1 min) at the end": _load()}
    return "; ".join(f"{k} {v}" for k, v in described.items())


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
