"""The benchmark harness, run tiny so it cannot rot: every job of a plan in this process (two
sagas per cell, no Cosmos), the report and chart it writes, and one job in a child process.
No timing is asserted: speed belongs in `make bench`."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The bench's dependencies come with `make bench` (requirements-bench.txt), which runs this first.
pytest.importorskip("matplotlib", reason="bench dependencies: `make bench` installs and runs this")
pytest.importorskip("durabletask", reason="bench dependencies: `make bench` installs them")

from rich.console import Console

import composition
from tools.bench import hot_report, hot_sku, plan, versions
from tools.bench.__main__ import parse_options, report
from tools.bench.chart import scaling_chart
from tools.bench.execute import run_jobs
from tools.bench.isolate import run_isolated
from tools.bench.report import render

TINY = plan.Options(
    n=2,
    rounds=1,
    widths=(2, 4),
    scaling_repeats=1,
    roundtrip_sagas=1,
    cosmos=False,
    hot_sqlite=20,
    hot_clients=4,
)
EXPECTED = {
    "happy": ["completed"],
    "out_of_stock": ["compensated"],
    "payment_declined": ["compensated"],
    "shipping_failure": ["compensated"],
}


@pytest.fixture(autouse=True)
def fresh_composition() -> Iterator[None]:
    yield
    composition.reset()  # the jobs install their own store and settings


def in_this_process(
    target: str, kwargs: dict[str, Any], on_progress: Callable[[int], None]
) -> dict[str, Any]:
    module, _, name = target.partition(":")
    result: dict[str, Any] = getattr(importlib.import_module(module), name)(
        progress=on_progress, **kwargs
    )
    return {**result, "peak_rss_mb": 0.0}


def count_to(progress: Callable[[int], None], upto: int) -> dict[str, Any]:
    """A child-process job for the isolation test."""
    for done in range(1, upto + 1):
        progress(done)
        time.sleep(0.15)  # lets a throttled progress message through before the next one
    return {"counted": upto}


def tiny_jobs() -> list[plan.Job]:
    """The peer once only: stopping its worker takes a second each time."""
    peer_once = ("throughput", "durabletask", "sequential", 1, 0)
    every = plan.jobs(TINY, [versions.this_tree()])
    return [job for job in every if "durabletask" not in job.key or job.key == peer_once]


def test_a_tiny_run_measures_every_engine_and_writes_the_report(tmp_path: Path) -> None:
    results = run_jobs(tiny_jobs(), Console(quiet=True), run=in_this_process)
    figures = report(results, "python -m tools.bench --tiny", time.monotonic(), "chart.png")

    assert set(figures.cells) == {
        (engine, kind, clients)
        for engine in ("devhost", "floor")
        for kind in plan.SAGAS
        for clients in plan.CONCURRENCY
    } | {("durabletask", "sequential", 1)}
    assert all(cell["statuses"] == {"completed": 2} for cell in figures.cells.values())
    assert set(figures.peer_ratio) == {("sequential", 1)}
    rows = figures.roundtrips["sqlite"]
    assert {(row["kind"], row["path"]) for row in rows} == {
        (kind, path) for kind in plan.SAGAS for path in EXPECTED
    }
    assert all(row["status"] == EXPECTED[row["path"]] for row in rows)
    assert all(row["total"] >= row["floor"] > 0 for row in rows if row["path"] == "happy")
    assert set(figures.curves["devhost"]) == {2, 4}
    (hot,) = figures.hot_sku
    assert (hot["store"], hot["version"], hot["statuses"]) == ("sqlite", "after", {"completed": 20})
    assert len(hot_report.slices(hot["finished_s"], hot_report.TENTHS)) == 10
    assert hot["largest_inventory_bytes"] > 0
    assert hot_report.per_step(hot)["reserve_inventory"] >= 1
    assert len(hot_report.cpu_per_saga_ms(hot)) == 10

    text = render(figures)
    for heading in (
        "## Throughput and latency",
        "## Store round trips",
        "## Hot SKU",
        "## Targets",
    ):
        assert heading in text
    assert "$" not in text  # every placeholder was filled
    scaling_chart(figures.curves, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_a_job_runs_in_a_child_process_and_reports_its_progress() -> None:
    seen: list[int] = []
    result = run_isolated("tests.unit.test_bench_smoke:count_to", {"upto": 2}, seen.append)
    assert result["counted"] == 2
    assert result["peak_rss_mb"] > 0
    assert seen and seen[-1] <= 2


def test_quick_mode_is_small_and_writes_no_report_unless_asked() -> None:
    options, out, _ = parse_options(["--quick"])
    assert (options.n, options.rounds, out) == (40, 1, None)
    options, out, _ = parse_options(["--n", "1200", "--no-cosmos", "--hot-sqlite", "50"])
    assert (options.n, options.per_round, options.cosmos) == (1200, 400, False)
    assert options.hot_sqlite == 50
    assert out is not None and out.name == "BENCHMARKS.md"
    options, out, _ = parse_options(["--only", "hot-sku", "--before", "HEAD"])
    assert (options.parts, out) == (("hot-sku",), None)


def test_a_hot_sku_section_replaces_the_one_in_the_report_and_nothing_else() -> None:
    old = f"# Benchmarks\n\n{hot_report.START}\nold figures\n{hot_report.END}\n\n## Targets\n"
    new = hot_report.section([], "", "chart.png")

    assert hot_report.splice(old, new) == f"# Benchmarks\n\n{new}\n\n## Targets\n"
    assert hot_report.splice("# Benchmarks\n", new).endswith(f"## Hot SKU\n\n{new}\n")


def test_throughput_slices_split_the_sagas_in_the_order_they_ended() -> None:
    ended = [1.0, 2.0, 2.5, 3.0]

    assert hot_report.slices(ended, 2) == [(2, 1.0), (4, 2.0)]


def test_the_before_version_is_the_revision_exported_beside_this_tree() -> None:
    with versions.versions("HEAD") as (before, after):
        assert (before.label, after.label) == ("before", "after")
        assert (before.tree / "function_app.py").is_file()
        assert after.tree == versions.this_tree().tree
    assert not before.tree.exists()


def test_no_hot_sku_saga_starts_once_the_time_budget_is_spent() -> None:
    statuses, _, finished = hot_sku.closed_loop("http://127.0.0.1:9", 5, 2, print, 1e-9)

    assert (statuses, finished) == ({hot_sku.NOT_STARTED: 5}, [(0.0, 0.0)])
