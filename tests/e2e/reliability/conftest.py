"""The reliability suite at CI scale: each test runs one soak scenario (tools/soak) on its own dev
hosts and fails with the scenario's violations; ``make soak`` runs the full scale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tools.soak.lab import CI, Lab
from tools.soak.report import Figure
from tools.soak.scenarios import run_scenario

Scenario = Callable[[int], Figure]


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    """``scenario(n)``: run soak scenario ``n`` at CI scale; returns its figure."""

    def run(number: int) -> Figure:
        figure = run_scenario(Lab(tmp_path, CI, seed=1), number)
        print(f"\n{number}. {figure.figure}")  # shown with -s, and in the failure report
        return figure

    return run
