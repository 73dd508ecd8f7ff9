"""``python -m tools.soak [--scale full|ci] [--only 1,4] [--seed N] [--no-write]``: run the
scenarios with progress bars, print the summary table, write it to docs/RELIABILITY.md.
Exits 1 when any scenario found a violation."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tools.soak import report
from tools.soak.client import Watch
from tools.soak.lab import CI, FULL, SECRET, Lab
from tools.soak.scenarios import SCENARIOS, run_scenario

SHOWN = 20  # violations printed per scenario (all of them go to the doc)
DOC = Path(__file__).resolve().parents[2] / "docs" / "RELIABILITY.md"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    scale = FULL if args.scale == "full" else CI
    chosen = [int(n) for n in args.only.split(",")] if args.only else list(SCENARIOS)
    console = Console()
    figures = []
    watch = Watch((SECRET,))  # one for the whole run: scenario 9 reports what it has seen
    with tempfile.TemporaryDirectory(prefix="soak-") as workdir, _bars(console) as bars:
        for number in chosen:
            lab = Lab(Path(workdir) / f"s{number}", scale, args.seed, _phases(bars, number), watch)
            figures.append(run_scenario(lab, number))
            console.print(f"[bold]{number}[/] {figures[-1].figure}")
            for violation in figures[-1].violations[:SHOWN]:
                console.print(f"  {violation}", style="red", markup=False, highlight=False)
    console.print(report.rich_table(figures))
    if args.only and not args.no_write:
        console.print(f"not written to {DOC}: it holds the figures of a run of every scenario")
    elif not args.no_write:
        command = "make soak" if scale is FULL else f"python -m tools.soak --scale {scale.name}"
        report.write(DOC, report.markdown(figures, command, scale.name, args.seed))
        console.print(f"written to {DOC}")
    return 0 if all(f.passed for f in figures) else 1


def _bars(console: Console) -> Progress:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    return Progress(*columns, TimeElapsedColumn(), console=console, transient=True)


def _phases(bars: Progress, number: int) -> Callable[[str, int], Callable[[int], None]]:
    def phase(description: str, total: int) -> Callable[[int], None]:
        task = bars.add_task(f"{number}. {description}", total=total)
        return lambda done: bars.update(task, completed=done)

    return phase


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.soak", description=__doc__)
    parser.add_argument("--scale", choices=("full", "ci"), default="full")
    parser.add_argument("--only", help="comma-separated scenario numbers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/RELIABILITY.md")
    return parser


if __name__ == "__main__":
    sys.exit(main())
