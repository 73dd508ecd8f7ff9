"""``python -m tools.bench [--n N] [--rounds R] [--quick] [--only PART] [--out PATH]
[--no-cosmos]`` (what ``make bench`` runs): measure the dev host against the durabletask-python
peer and the plain-call floor, count store round trips, measure fan-out scaling; print the
figures and write the report (a full run writes docs/BENCHMARKS.md and docs/bench_scaling.png)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown

from tools.bench import machine, summary, targets
from tools.bench.chart import scaling_chart
from tools.bench.execute import Results, run_jobs
from tools.bench.plan import PARTS, Options, jobs
from tools.bench.report import RunReport, console_summary, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "BENCHMARKS.md"
CHART = "bench_scaling.png"  # beside the report


def parse_options(argv: list[str]) -> tuple[Options, Path | None]:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    parser.add_argument("--n", type=int, help="sagas per engine, saga and concurrency (1000)")
    parser.add_argument("--rounds", type=int, help="rounds the sagas are split over (3)")
    parser.add_argument("--quick", action="store_true", help="40 sagas, 1 round: under a minute")
    parser.add_argument("--out", type=Path, help="report path (full run: docs/BENCHMARKS.md)")
    parser.add_argument("--no-cosmos", action="store_true", help="skip the Cosmos round trips")
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run only this part (repeatable); the report then lacks the others",
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
    )
    partial = args.quick or args.only
    return options, args.out or (None if partial else DOC)


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
    )


def main(argv: list[str]) -> int:
    options, out = parse_options(argv)
    console = Console()
    started = time.monotonic()
    results = run_jobs(jobs(options), console)
    command = " ".join(["python -m tools.bench", *argv])
    figures = report(results, command, started, CHART)
    console.print(Markdown(console_summary(figures)))
    text = render(figures)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        scaling_chart(summary.scaling(results), out.parent / CHART)
        console.print(f"wrote {out} and {out.parent / CHART}")
    return 0


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
