"""The soak's scenarios, in the order they run; each takes a Lab and returns its Figure."""

from __future__ import annotations

from collections.abc import Callable

from tools.soak.lab import Lab
from tools.soak.report import Figure
from tools.soak.scenarios import (
    compensation,
    contention,
    crashes,
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
}
