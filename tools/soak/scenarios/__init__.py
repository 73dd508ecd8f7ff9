"""The soak's scenarios, in the order they run; each takes a Lab and returns its Figure.
``run_scenario`` adds what every scenario shares: the leak audit, the clean-up, the time."""

from __future__ import annotations

import time
from collections.abc import Callable

from tools.soak.lab import Lab
from tools.soak.report import Figure
from tools.soak.scenarios import (
    compensation,
    contention,
    crashes,
    disclosure,
    hostile_input,
    idempotent_start,
    late_steps,
    random_mix,
    redelivery,
)

Scenario = Callable[[Lab], Figure]

SCENARIOS: dict[int, Scenario] = {
    1: random_mix.run,
    2: crashes.run,
    3: redelivery.run,
    4: contention.run,
    5: idempotent_start.run,
    6: compensation.run,
    7: late_steps.run,
    8: hostile_input.run,
    9: disclosure.run,
}


def run_scenario(lab: Lab, number: int) -> Figure:
    """Run scenario ``number``, audit its hosts for leaks, stop them; leaks are violations."""
    leaks_before, started = len(lab.watch.leaks), time.monotonic()
    try:
        figure = SCENARIOS[number](lab)
        lab.audit()
    finally:
        lab.close()
    figure.violations += lab.watch.leaks[leaks_before:]
    figure.seconds = time.monotonic() - started
    return figure
