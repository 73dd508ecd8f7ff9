"""Where the choreography's records live: each ledger entry in its order's partition (so no
partition grows with the traffic), dead letters without an order id spread over a bounded set."""

from __future__ import annotations

from saga.choreography import consumers, records
from saga.choreography.processing import consume
from saga.containers import DEADLETTERS, LEDGER, PARTITION_FIELDS
from tests.fakes import InMemoryStore
from tests.unit.choreography.harness import Bus


def test_a_ledger_document_lives_in_its_orders_partition(bus: Bus, store: InMemoryStore) -> None:
    bus.start()
    bus.deliver()
    entries = store.query(LEDGER, {})
    assert entries and {e["order_id"] for e in entries} == {"o1"}
    assert PARTITION_FIELDS[LEDGER] == "order_id"
    entry = store.read(LEDGER, "o1", "payment:o1:InventoryReserved")
    assert entry is not None and entry["consumer"] == "payment"
    assert store.read(LEDGER, "payment", "payment:o1:InventoryReserved") is None


def test_two_orders_keep_their_ledger_entries_apart(bus: Bus, store: InMemoryStore) -> None:
    bus.start("o1")
    bus.start("o2")
    bus.deliver()
    for order_id in ("o1", "o2"):
        mine = store.query(LEDGER, {}, partition=order_id)
        assert mine and {e["order_id"] for e in mine} == {order_id}
    ids = [e["id"] for e in store.query(LEDGER, {})]
    assert len(ids) == len(set(ids))


def test_dead_letters_without_an_order_id_spread_over_the_bounded_unknown_partitions(
    bus: Bus, store: InMemoryStore
) -> None:
    for n in range(64):
        consume(bus.pipeline, consumers.INVENTORY, f"not json {n}".encode())
    used = {letter["order_id"] for letter in store.query(DEADLETTERS, {})}
    assert used <= set(records.unknown_partitions())
    assert len(records.unknown_partitions()) == records.UNKNOWN_BUCKETS
    assert len(used) > 1
    partitions = records.unknown_partitions()
    found = sum(len(store.query(DEADLETTERS, {}, partition=p)) for p in partitions)
    assert found == 64
