"""Scenarios 1-3 at CI scale: random sagas with failures, faults and duplicates; SIGKILLs; the
choreography with every event delivered twice and a kill before the checkpoint."""

from __future__ import annotations

from tests.e2e.reliability.conftest import Scenario


def test_random_sagas_with_failures_faults_and_duplicates_keep_every_invariant(
    scenario: Scenario,
) -> None:
    figure = scenario(1)
    assert figure.passed, figure.violations
    assert "0 stuck" in figure.figure


def test_sigkill_at_random_moments_leaves_every_saga_terminal_and_no_double_charge(
    scenario: Scenario,
) -> None:
    figure = scenario(2)
    assert figure.passed, figure.violations
    assert "0 double charges" in figure.figure


def test_redelivered_choreography_events_and_a_kill_before_checkpoint_change_nothing(
    scenario: Scenario,
) -> None:
    figure = scenario(3)
    assert figure.passed, figure.violations
    assert "0 + 0 differences from the clean run" in figure.figure
