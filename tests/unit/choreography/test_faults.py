"""Technical faults in the handlers: retried in-handler with backoff; when they persist, a dead
letter plus an event that gets the saga compensated (or marked), and never an exception."""

from __future__ import annotations

import logging

import pytest

from saga import inventory
from saga.choreography import consumers, records, state
from saga.choreography.processing import consume
from saga.choreography.reactions import Gate
from saga.containers import DEADLETTERS, LEDGER
from saga.errors import StoreUnavailable, TechnicalFault
from saga.events import OrderSnapshot
from saga.results import Result
from tests import documents
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import Bus
from triggers.status import choreography_status as public_status


def status(store: InMemoryStore, order_id: str = "o1") -> dict:
    doc = state.read(store, order_id)
    assert doc is not None
    return public_status(doc)


def faulty(step_name: str, times: int) -> tuple[list[str], Gate]:
    """A gate raising a technical fault on the first ``times`` runs of ``step_name``."""
    calls: list[str] = []

    def gate(step: str, order: OrderSnapshot) -> Result | None:
        if step == step_name:
            calls.append(step)
            if len(calls) <= times:
                raise TechnicalFault(f"{step} unavailable")
        return None

    return calls, gate


def test_a_transient_fault_is_retried_with_backoff_and_the_saga_completes(
    store: InMemoryStore,
) -> None:
    calls, gate = faulty("charge_payment", times=2)
    bus = Bus(store, gate=gate)
    bus.start()
    bus.deliver()
    assert len(calls) == 3
    assert bus.sleeps == [0.01, 0.02]
    assert status(store)["saga_status"] == "completed"
    assert store.query(DEADLETTERS, {}) == []


def test_a_persistent_forward_fault_dead_letters_and_aborts_the_saga(
    store: InMemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    _, gate = faulty("charge_payment", times=99)
    bus = Bus(store, gate=gate)
    bus.start()
    with caplog.at_level(logging.ERROR):
        bus.deliver()
    assert bus.publisher.types()[2:] == [
        "StepFaulted",
        "SagaAborted",
        "ShipmentCancelled",
        "PaymentRefunded",
        "InventoryReleased",
        "OrderCancelled",
    ]
    (letter,) = store.query(DEADLETTERS, {"order_id": "o1"})
    assert (letter["consumer"], letter["step"], letter["type"]) == (
        "payment",
        "charge_payment",
        "InventoryReserved",
    )
    assert "charge_payment unavailable" in letter["error"]["message"]
    result = status(store)
    assert result["saga_status"] == "compensated"
    assert result["error"]["code"] == "technical_fault"
    assert inventory.get_item(store, "a")["available"] == 10
    # The abort left a tombstone: a late charge cannot land any more.
    assert documents.get_payment(store, "o1")["state"] == "voided"
    assert any("charge_payment" in r.getMessage() for r in caplog.records)


def test_a_compensation_that_keeps_failing_marks_the_saga_compensation_failed(
    store: InMemoryStore,
) -> None:
    _, gate = faulty("release_inventory", times=99)
    bus = Bus(store, gate=gate)
    bus.start(amount_minor=10**9)
    bus.deliver()
    assert bus.publisher.types()[-2:] == ["PaymentFailed", "CompensationFailed"]
    result = status(store)
    assert result["saga_status"] == "compensation_failed"
    assert result["runtime_status"] == "Completed"
    assert result["output"]["failed_compensations"][0]["step"] == "release_inventory"
    assert len(store.query(DEADLETTERS, {"consumer": "inventory"})) == 1


def test_a_store_outage_during_a_step_is_retried(store: InMemoryStore) -> None:
    bus = Bus(store)
    bus.start()
    store.fail_next("replace", times=2)
    bus.deliver()
    assert status(store)["saga_status"] == "completed"


def test_a_publish_failure_is_retried_and_the_ledger_is_written_only_after_it(
    bus: Bus, store: InMemoryStore
) -> None:
    bus.start()
    bus.publisher.failures = [TechnicalFault("link detached")]
    bus.deliver()
    assert status(store)["saga_status"] == "completed"
    assert len(bus.sleeps) == 1


def test_a_publish_that_keeps_failing_leaves_no_ledger_entry_so_a_redelivery_retries(
    bus: Bus, store: InMemoryStore
) -> None:
    bus.start()
    body = bus.publisher.sent[0][2]
    bus.publisher.failures = [TechnicalFault("down")] * 4
    consume(bus.pipeline, consumers.INVENTORY, body)
    assert store.query(LEDGER, {"consumer": "inventory", "order_id": "o1"}) == []
    consume(bus.pipeline, consumers.INVENTORY, body)  # the redelivery after a host restart
    assert bus.publisher.types()[-1] == "InventoryReserved"
    assert inventory.get_item(store, "a")["reserved"] == 1


def test_a_failed_ledger_write_is_logged_and_the_redelivery_changes_nothing(
    bus: Bus, store: InMemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    bus.start()
    body = bus.publisher.sent[0][2]
    with caplog.at_level(logging.ERROR):
        store.fail_next("create", times=3)  # the ledger entry, every attempt
        consume(bus.pipeline, consumers.INVENTORY, body)
    assert "ledger entry" in caplog.text
    consume(bus.pipeline, consumers.INVENTORY, body)
    assert inventory.get_item(store, "a")["reserved"] == 1


@pytest.mark.parametrize("body", [b"not json", b"{}", b'{"schema_version": 2}', b"\xff\xfe"])
def test_an_invalid_event_is_dead_lettered_and_never_raises(
    bus: Bus, body: bytes, store: InMemoryStore
) -> None:
    consume(bus.pipeline, consumers.INVENTORY, body)
    (letter,) = store.query(DEADLETTERS, {})
    assert letter["step"] == "invalid_event"
    assert letter["order_id"] in records.unknown_partitions()
    assert bus.publisher.sent == []


def test_a_bug_in_a_reaction_is_dead_lettered_not_retried(store: InMemoryStore) -> None:
    calls = []

    def buggy(step: str, order: OrderSnapshot) -> Result | None:
        if step == "reserve_inventory":
            calls.append(step)
            raise KeyError("oops")
        return None

    bus = Bus(store, gate=buggy)
    bus.start()
    bus.deliver()
    assert calls == ["reserve_inventory"]
    assert store.query(DEADLETTERS, {"consumer": "inventory"})[0]["error"]["kind"] == "KeyError"
    assert status(store)["saga_status"] == "compensated"


def test_when_even_the_dead_letter_cannot_be_written_the_error_log_keeps_the_body(
    bus: Bus, store: InMemoryStore, caplog: pytest.LogCaptureFixture
) -> None:
    store.fail_next("create", times=1, error=StoreUnavailable("down"))
    with caplog.at_level(logging.ERROR):
        consume(bus.pipeline, consumers.INVENTORY, b"garbage-body")
    assert "garbage-body" in caplog.text
