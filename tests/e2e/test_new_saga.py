"""A brand-new saga, defined here with the public API only (a ``SagaDefinition`` of three steps
with their compensations, its orchestrator and activities registered from it), run on the dev
host: the happy path, and a refusal that compensates newest first.

This module is also the app the dev host runs (``--app tests.e2e.test_new_saga:app``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from activities.steps import activity_blueprint
from composition import policy_from
from config import Settings
from orchestrators.blueprint import orchestration_blueprint
from orchestrators.definition import SagaDefinition, Step
from tests.e2e.conftest import HostFactory

Payload = dict[str, Any]


def _journaled(event: str, refuse_when: str | None = None) -> Any:
    """A handler that notes ``event`` in the trip's journal, or refuses when asked to."""

    def handle(store: Any, trip: Payload) -> Payload:
        if refuse_when is not None and trip.get("refuse") == refuse_when:
            return {"ok": False, "code": f"{refuse_when}_unavailable", "message": "sold out"}
        with Path(trip["journal"]).open("a") as journal:
            journal.write(json.dumps({"event": event, "trip_id": trip["trip_id"]}) + "\n")
        return {"ok": True}

    return handle


def _step(forward: str, compensation: str) -> Step:
    return Step(
        forward,
        _journaled(forward, refuse_when=forward),
        compensation=compensation,
        undo=_journaled(compensation),
        fields=("journal", "refuse"),
    )


TRIP = SagaDefinition(
    name="trip_saga",
    business_key="trip_id",
    stages=(
        (_step("book_flight", "cancel_flight"),),
        (_step("book_hotel", "cancel_hotel"),),
        (_step("rent_car", "return_car"),),
    ),
)

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(orchestration_blueprint([TRIP]))
app.register_functions(activity_blueprint([TRIP]))


def run_trip(devhost_factory: HostFactory, tmp_path: Path, refuse: str) -> tuple[Payload, list]:
    host = devhost_factory(app="tests.e2e.test_new_saga:app")
    journal = tmp_path / "journal.jsonl"
    trip = {"trip_id": "t-1", "journal": str(journal), "refuse": refuse}
    policy = policy_from(Settings(saga_retry_max_attempts=1)).to_dict()
    instance = host.client.start(TRIP.name, {"input": trip, "policy": policy})
    status = host.client.wait(instance, timeout=30)
    assert status["runtimeStatus"] == "Completed", status
    events = [json.loads(line)["event"] for line in journal.read_text().splitlines()]
    return status["output"], events


def test_a_new_three_step_saga_runs_every_step_on_the_happy_path(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    output, events = run_trip(devhost_factory, tmp_path, refuse="")
    assert (output["status"], output["trip_id"]) == ("completed", "t-1")
    assert output["completed_steps"] == ["book_flight", "book_hotel", "rent_car"]
    assert events == ["book_flight", "book_hotel", "rent_car"]


def test_a_refused_last_step_compensates_the_new_saga_newest_first(
    devhost_factory: HostFactory, tmp_path: Path
) -> None:
    output, events = run_trip(devhost_factory, tmp_path, refuse="rent_car")
    assert (output["status"], output["failed_step"]) == ("compensated", "rent_car")
    assert output["reason"]["code"] == "rent_car_unavailable"
    # The refused step changed nothing, so only the two booked steps are undone.
    assert output["compensated_steps"] == ["cancel_hotel", "cancel_flight"]
    assert events == ["book_flight", "book_hotel", "cancel_hotel", "cancel_flight"]
