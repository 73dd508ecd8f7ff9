"""The soak's report: the table replaces only what lies between its markers in the document."""

from __future__ import annotations

from pathlib import Path

from tools.soak.report import BEGIN, END, Figure, markdown, write


def test_the_table_replaces_only_the_block_between_the_markers(tmp_path: Path) -> None:
    doc = tmp_path / "RELIABILITY.md"
    doc.write_text(f"# Title\n\nintro\n\n{BEGIN}\nold table\n{END}\n\n## Findings\nkept\n")
    figures = [Figure(1, "one", "10 sagas | 0 stuck"), Figure(2, "two", "x", ["bad: thing"])]
    write(doc, markdown(figures, "make soak", "full", 1))
    text = doc.read_text()
    assert text.startswith("# Title\n\nintro\n\n" + BEGIN)
    assert text.endswith(f"{END}\n\n## Findings\nkept\n")
    assert "old table" not in text
    assert "| 1 | one | 10 sagas \\| 0 stuck | 0 |" in text
    assert "- `bad: thing`" in text and "Violations of scenario 1" not in text


def test_a_document_without_markers_gets_the_table_appended(tmp_path: Path) -> None:
    doc = tmp_path / "RELIABILITY.md"
    doc.write_text("# Title\n")
    write(doc, "table")
    assert doc.read_text() == f"# Title\n\n{BEGIN}\ntable\n{END}\n"
