"""The hot-SKU figures (throughput per tenth of the run, largest inventory document, round trips
per step), the issue's acceptance checks, and the report section they fill; a run of the hot-SKU
scenario alone rewrites only that section of docs/BENCHMARKS.md (between its markers)."""

from __future__ import annotations

from typing import Any

from tools.bench.tables import table

STORE_NAMES = {"sqlite": "SQLite", "cosmos": "Cosmos test server"}
TENTHS = 10
MIN_LAST_TO_FIRST = 0.85  # issue 11: the last tenth's throughput >= 0.85x the first's
MAX_DOCUMENT_BYTES = 2048  # issue 11, SQLite: the largest inventory document < 2 KB
START, END = "<!-- hot-sku:start -->", "<!-- hot-sku:end -->"

Result = dict[str, Any]  # one hot_sku job's result, plus its "version" and "revision"


def slices(finished_s: list[float], parts: int) -> list[tuple[int, float]]:
    """(orders served at the end of each slice, sagas/s within it), over ``parts`` equal shares
    of the sagas in the order they ended; the first slice starts when the run did."""
    points, served, at = [], 0, 0.0
    for part in range(1, parts + 1):
        upto = round(len(finished_s) * part / parts)
        if upto == served:
            continue
        ended = finished_s[upto - 1]
        points.append((upto, (upto - served) / max(ended - at, 1e-9)))
        served, at = upto, ended
    return points


def cpu_per_saga_ms(result: Result, parts: int = TENTHS) -> list[float]:
    """The host's CPU milliseconds per saga within each slice (as ``slices`` cuts them)."""
    cpu, served, out = result.get("host_cpu_s", []), 0, []
    if len(cpu) != len(result["finished_s"]) + 1:
        return []  # a result from before CPU was sampled
    for upto, _ in slices(result["finished_s"], parts):
        out.append((cpu[upto] - cpu[served]) * 1000 / (upto - served))
        served = upto
    return out


def last_to_first(result: Result) -> float:
    tenths = slices(result["finished_s"], TENTHS)
    return tenths[-1][1] / tenths[0][1] if tenths else 0.0


def per_step(result: Result, counter: str = "calls") -> dict[str, float]:
    """Round trips per run of each step (``counter``: "calls" at the adapter, "http" requests)."""
    runs, counts = result["counts"].get("runs", {}), result["counts"].get(counter, {})
    return {step: counts.get(step, 0) / n for step, n in runs.items() if n}


def checks(result: Result) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the issue's acceptance points that apply to ``result``."""
    ratio = last_to_first(result)
    found = [
        (
            f"last tenth >= {MIN_LAST_TO_FIRST}x the first",
            f"{ratio:.2f}x",
            ratio >= MIN_LAST_TO_FIRST,
        )
    ]
    if result["store"] == "sqlite":
        size = result["largest_inventory_bytes"]
        target = "largest inventory document < 2 KB"
        found.append((target, f"{size:,} bytes", size < MAX_DOCUMENT_BYTES))
    return found


def section(results: list[Result], note: str, chart: str) -> str:
    """The report's hot-SKU section, markers included; ``note`` says when and how it was run."""
    if not results:
        return f"{START}\n_Not measured in this run._\n{END}"
    parts = [
        START,
        note,
        "Throughput per tenth of the run (sagas/s; tenths of the orders, in the order they ended):",
        _tenths_table(results),
        "The dev host process's CPU per saga in the same tenths (ms; what other work on the "
        "machine does not change; on Cosmos the test server's own CPU is not included):",
        _cpu_table(results),
        "Largest inventory document, round trips per step (store calls at the adapter; on "
        "Cosmos also the SDK's HTTP requests), and the issue's acceptance points:",
        _figures_table(results),
        f"![throughput against orders served]({chart})",
        END,
    ]
    return "\n\n".join(parts)


def splice(document: str, new_section: str) -> str:
    """``document`` with its hot-SKU section replaced (appended when it has none)."""
    if START in document and END in document:
        head, rest = document.split(START, 1)
        return head + new_section + rest.split(END, 1)[1]
    return f"{document.rstrip()}\n\n## Hot SKU\n\n{new_section}\n"


def label(result: Result) -> str:
    return f"{STORE_NAMES[result['store']]}, {result['version']} ({result['revision']})"


def _tenths_table(results: list[Result]) -> str:
    header = ["store, version", "orders served", *(f"{n}" for n in range(1, TENTHS + 1))]
    header.append("last/first")
    rows = [
        [
            label(r),
            _served(r),
            *(f"{rate:.1f}" for _, rate in slices(r["finished_s"], TENTHS)),
            f"{last_to_first(r):.2f}",
        ]
        for r in results
    ]
    return table(header, rows)


def _cpu_table(results: list[Result]) -> str:
    header = ["store, version", *(f"{n}" for n in range(1, TENTHS + 1)), "last/first"]
    rows = []
    for r in results:
        cpu = cpu_per_saga_ms(r)
        if cpu:
            rows.append([label(r), *(f"{ms:.1f}" for ms in cpu), f"{cpu[-1] / cpu[0]:.2f}"])
    return table(header, rows)


def _served(result: Result) -> str:
    """Orders served, and of how many planned when a time budget stopped the run early."""
    served = len(result["finished_s"])
    return f"{served:,}" if served == result["orders"] else f"{served:,} of {result['orders']:,}"


def _figures_table(results: list[Result]) -> str:
    header = ["store, version", "wall", "outcomes", "largest inventory doc", "round trips/step"]
    header.append("acceptance")
    rows = []
    for r in results:
        http = per_step(r, "http") if r["counts"].get("http") else {}
        steps = ", ".join(
            f"{step} {calls:.2f}" + (f" ({http[step]:.2f} HTTP)" if http else "")
            for step, calls in per_step(r).items()
        )
        verdicts = "; ".join(f"{t}: {m} ({'met' if ok else 'NOT met'})" for t, m, ok in checks(r))
        outcomes = ", ".join(f"{n:,} {status}" for status, n in sorted(r["statuses"].items()))
        size = f"{r['largest_inventory_bytes']:,} B"
        rows.append([label(r), f"{r['wall_s']:.0f} s", outcomes, size, steps, verdicts])
    return table(header, rows)
