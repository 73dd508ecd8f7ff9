"""Scenarios 4-7 at CI scale: contention for the last units, repeated starts, failing
compensations, steps completing after their timeout."""

from __future__ import annotations

from tests.e2e.reliability.conftest import Scenario


def test_concurrent_sagas_sell_exactly_the_units_in_stock(scenario: Scenario) -> None:
    figure = scenario(4)
    assert figure.passed, figure.violations
    assert "60 completed, 40 compensated" in figure.figure


def test_the_same_order_posted_twenty_times_runs_one_saga_and_charges_once(
    scenario: Scenario,
) -> None:
    figure = scenario(5)
    assert figure.passed, figure.violations


def test_failing_compensations_are_retried_and_permanent_ones_are_reported(
    scenario: Scenario,
) -> None:
    figure = scenario(6)
    assert figure.passed, figure.violations
    assert "24 of 24 compensated" in figure.figure
    assert "12 of 12 compensation_failed" in figure.figure


def test_a_step_completing_after_its_compensation_leaves_no_effect(scenario: Scenario) -> None:
    figure = scenario(7)
    assert figure.passed, figure.violations
    assert "0 took effect" in figure.figure
