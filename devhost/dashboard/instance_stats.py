"""Counts by runtime status and a histogram of durations, computed in SQL from the host's own
instance table (a read-only connection beside the host's, so a big state file stays cheap)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# Upper bounds of the duration buckets, in milliseconds; the last bucket is open.
BUCKET_BOUNDS_MS = (10, 100, 1_000, 10_000, 60_000, 600_000)
_DURATION_MS = "(julianday(updated) - julianday(created)) * 86400000.0"
_FINISHED = "('Completed', 'Failed', 'Terminated', 'Canceled')"


def open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _bucket_case() -> str:
    whens = " ".join(f"WHEN d < {bound} THEN {i}" for i, bound in enumerate(BUCKET_BOUNDS_MS))
    return f"CASE {whens} ELSE {len(BUCKET_BOUNDS_MS)} END"


def instance_summary(db: sqlite3.Connection) -> dict[str, Any]:
    """``{"total", "counts": {status: n}, "durations": [{"label", "le_ms", "count"}]}``; the
    histogram covers finished instances (created to last update)."""
    counts = dict(db.execute("SELECT status, count(*) FROM instances GROUP BY status").fetchall())
    sql = (
        f"SELECT {_bucket_case()} AS bucket, count(*) FROM"
        f" (SELECT {_DURATION_MS} AS d FROM instances WHERE status IN {_FINISHED})"
        " GROUP BY bucket"
    )
    by_bucket = dict(db.execute(sql).fetchall())
    bounds: list[int | None] = [*BUCKET_BOUNDS_MS, None]
    durations = [
        {
            "label": _label(bound, bounds[i - 1] if i else None),
            "le_ms": bound,
            "count": by_bucket.get(i, 0),
        }
        for i, bound in enumerate(bounds)
    ]
    names = dict(db.execute("SELECT name, count(*) FROM instances GROUP BY name").fetchall())
    return {"total": sum(counts.values()), "counts": counts, "names": names, "durations": durations}


def _label(bound: int | None, previous: int | None) -> str:
    if bound is None:
        return f"≥ {_human(previous or 0)}"
    return f"< {_human(bound)}"


def _human(ms: int) -> str:
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms // 1000} s"
    return f"{ms // 60_000} min"
