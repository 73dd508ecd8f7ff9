"""ETag retry helpers: re-read on a lost race, stop after the bound, never retry store faults."""

from __future__ import annotations

import pytest

from saga.concurrency import MAX_ATTEMPTS, create_or_read, undo_or_tombstone, update_with_retry
from saga.containers import ORDERS
from saga.errors import ConcurrencyExhausted, StoreUnavailable
from saga.ports import Document
from tests.fakes import InMemoryStore


def order(order_id: str, **fields: object) -> Document:
    return {"id": order_id, "order_id": order_id, **fields}


def add_one(doc: Document | None) -> Document | None:
    if doc is None:
        return order("o1", count=1)
    doc["count"] += 1
    return doc


def test_update_creates_the_document_when_absent(fake: InMemoryStore) -> None:
    written = update_with_retry(fake, ORDERS, "o1", "o1", add_one)
    assert written is not None and written["count"] == 1
    assert fake.read(ORDERS, "o1", "o1") == written


def test_update_with_nothing_to_do_writes_nothing_and_returns_the_current_document(
    fake: InMemoryStore,
) -> None:
    created = fake.create(ORDERS, "o1", order("o1", count=5))
    assert update_with_retry(fake, ORDERS, "o1", "o1", lambda doc: None) == created
    assert (fake.calls["create"], fake.calls["replace"]) == (1, 0)


def test_update_that_loses_the_etag_race_reapplies_its_change_to_the_winner(
    fake: InMemoryStore,
) -> None:
    fake.create(ORDERS, "o1", order("o1", count=0))
    rival = order("o1", count=10)

    def rival_writes_first(container: str, partition: str, doc: Document) -> None:
        current = fake.read(container, partition, "o1")
        assert current is not None
        fake.replace(container, partition, rival, current["_etag"])

    fake.before_replace(rival_writes_first)
    written = update_with_retry(fake, ORDERS, "o1", "o1", add_one)
    assert written is not None and written["count"] == 11


def test_update_that_loses_a_create_race_reads_the_winner_and_decides_again(
    fake: InMemoryStore,
) -> None:
    def create_racing_a_rival(doc: Document | None) -> Document | None:
        if doc is None:
            fake.create(ORDERS, "o1", order("o1", count=100))
        return add_one(doc)

    written = update_with_retry(fake, ORDERS, "o1", "o1", create_racing_a_rival)
    assert written is not None and written["count"] == 101


def test_update_gives_up_with_concurrency_exhausted_after_the_bound(fake: InMemoryStore) -> None:
    fake.create(ORDERS, "o1", order("o1", count=0))
    fake.before_replace(lambda c, p, doc: fake.bump(c, p, "o1"), times=MAX_ATTEMPTS + 5)
    with pytest.raises(ConcurrencyExhausted):
        update_with_retry(fake, ORDERS, "o1", "o1", add_one)
    assert fake.calls["replace"] == MAX_ATTEMPTS
    current = fake.read(ORDERS, "o1", "o1")
    assert current is not None and current["count"] == 0


def test_store_faults_are_raised_not_retried(fake: InMemoryStore) -> None:
    fake.create(ORDERS, "o1", order("o1", count=0))
    fake.fail_next("replace")
    with pytest.raises(StoreUnavailable):
        update_with_retry(fake, ORDERS, "o1", "o1", add_one)
    assert fake.calls["replace"] == 1


def test_create_or_read_costs_one_round_trip_and_returns_the_first_writer_on_a_repeat(
    fake: InMemoryStore,
) -> None:
    first = create_or_read(fake, ORDERS, "o1", order("o1", who="first"))
    assert sum(fake.calls.values()) == 1
    assert create_or_read(fake, ORDERS, "o1", order("o1", who="second")) == first


def test_undo_or_tombstone_creates_the_tombstone_when_there_is_nothing_to_undo(
    fake: InMemoryStore,
) -> None:
    stored = undo_or_tombstone(fake, ORDERS, "o1", order("o1", state="void"), lambda doc: True)
    assert stored["state"] == "void"


def test_undo_or_tombstone_undoes_the_forward_document_in_place(fake: InMemoryStore) -> None:
    fake.create(ORDERS, "o1", order("o1", state="done"))

    def undo(doc: Document) -> bool:
        doc["state"] = "undone"
        return True

    stored = undo_or_tombstone(fake, ORDERS, "o1", order("o1", state="void"), undo)
    assert stored["state"] == "undone"
