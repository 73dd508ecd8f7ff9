"""Run a plan's jobs one after another (never two at once: they would share the two cores), each
in a fresh temp directory, with a rich progress display: the whole run and the current job."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from tools.bench.isolate import run_isolated
from tools.bench.plan import Job

# (target, kwargs, on_progress) -> result: a child process by default, in-process in tests.
JobRunner = Callable[[str, dict[str, Any], Callable[[int], None]], dict[str, Any]]
Results = dict[tuple[Any, ...], dict[str, Any]]


def run_jobs(jobs: list[Job], console: Console, run: JobRunner = run_isolated) -> Results:
    """Every job's result, by its key."""
    results: Results = {}
    columns = (
        TextColumn("{task.description}", style="bold"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        overall = progress.add_task("benchmarks", total=sum(job.units for job in jobs))
        done = 0
        for job in jobs:
            current = progress.add_task(f"  {job.label}", total=job.units)

            def report(count: int, current: Any = current, base: int = done) -> None:
                progress.update(current, completed=count)
                progress.update(overall, completed=base + count)

            with tempfile.TemporaryDirectory(prefix="bench-") as workdir:
                results[job.key] = run(job.target, {**job.kwargs, "workdir": workdir}, report)
            done += job.units
            progress.update(current, completed=job.units, visible=False)
            progress.update(overall, completed=done)
    return results
