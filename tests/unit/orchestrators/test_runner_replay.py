"""The saga runner through the real Durable SDK replay (in-process dev host): a branch that
raises makes task_all fail fast, yet compensation waits for the slow sibling to settle."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.devhost_apps.inprocess import InProcessHost
from tests.unit.orchestrators.fake_context import policy as make_policy


@pytest.fixture
def host(tmp_path: Path) -> Iterator[InProcessHost]:
    with InProcessHost(tmp_path / "state.db", app="runner_app:app") as running:
        yield running


def test_a_raising_branch_waits_for_its_slow_sibling_before_compensating(
    host: InProcessHost, tmp_path: Path
) -> None:
    journal = tmp_path / "journal.jsonl"
    order = {"order_id": "r-1", "journal": str(journal)}
    policy = make_policy(retry_max_attempts=1, step_timeout_seconds=30).to_dict()
    instance = host.client.start("fan_out_saga", {"input": order, "policy": policy})
    status = host.client.wait(instance)
    output = status["output"]
    assert status["runtimeStatus"] == "Completed"
    assert (output["status"], output["failed_step"]) == ("compensated", "boom")
    assert output["reason"]["code"] == "technical_fault"
    assert set(output["compensated_steps"]) == {"undo_boom", "undo_slow", "undo_fast"}
    events = [json.loads(line) for line in journal.read_text().splitlines()]
    slow_done = next(e["at"] for e in events if e["event"] == "slow finished")
    undo_times = [e["at"] for e in events if e["event"].startswith("undo")]
    assert len(undo_times) == 3
    assert min(undo_times) > slow_done
