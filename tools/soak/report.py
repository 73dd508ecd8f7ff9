"""A scenario's figure (what it measured, what it found) and the summary table: drawn on the
terminal with rich, and written into docs/RELIABILITY.md between two markers."""

from __future__ import annotations

import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

BEGIN, END = "<!-- soak:begin -->", "<!-- soak:end -->"


@dataclass
class Figure:
    """One scenario's result: ``figure`` is the sentence quoted in the table."""

    number: int
    title: str
    figure: str = ""
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.violations


def rich_table(figures: Sequence[Figure]) -> Table:
    table = Table(title="Reliability and security soak", show_lines=True)
    for column in ("#", "scenario", "figure", "violations", "s"):
        table.add_column(column, overflow="fold")
    for fig in figures:
        verdict = "[green]0[/]" if fig.passed else f"[red]{len(fig.violations)}[/]"
        table.add_row(str(fig.number), fig.title, fig.figure, verdict, f"{fig.seconds:.0f}")
    return table


def markdown(figures: Sequence[Figure], command: str, scale: str, seed: int) -> str:
    """The table and how it was made, for docs/RELIABILITY.md."""
    lines = [
        f"Run `{command}` (scale `{scale}`, seed {seed}) on {_machine()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {sum(f.seconds for f in figures):.0f} s in all.",
        "",
        "| # | scenario | figure | violations | time |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {f.number} | {f.title} | {_cell(f.figure)} | {len(f.violations)} | {f.seconds:.0f} s |"
        for f in figures
    ]
    for fig in figures:
        lines += [
            "",
            f"Violations of scenario {fig.number}:",
            *(f"- `{v}`" for v in fig.violations),
        ]
        if fig.passed:
            lines = lines[:-2]
    return "\n".join(lines)


def write(doc: Path, table: str) -> None:
    """Replace what is between the markers in ``doc`` (append them when missing)."""
    text = doc.read_text() if doc.exists() else ""
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
        text = pattern.sub(lambda _: block, text)
    else:
        text = f"{text.rstrip()}\n\n{block}\n".lstrip()
    doc.write_text(text)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _machine() -> str:
    import os

    return f"{os.cpu_count()} CPU cores, Python {platform.python_version()}"
