"""Scenarios 8-9 at CI scale: hostile request bodies; status probes with guessed ids; no
management URL, key or secret in any response, log or orchestration input."""

from __future__ import annotations

from tests.e2e.reliability.conftest import Scenario


def test_hostile_payloads_get_400s_and_start_nothing(scenario: Scenario) -> None:
    figure = scenario(8)
    assert figure.passed, figure.violations
    assert "0 >= 500, 0 accepted, 0 orchestrations started" in figure.figure


def test_guessed_status_ids_reveal_only_the_documented_shape_and_nothing_leaks(
    scenario: Scenario,
) -> None:
    figure = scenario(9)
    assert figure.passed, figure.violations
    assert "0 management URLs, keys or planted secrets" in figure.figure
