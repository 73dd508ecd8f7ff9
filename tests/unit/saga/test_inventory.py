"""Reserve, release and commit: all-or-nothing, idempotent, and tombstoned against late steps."""

from __future__ import annotations

from typing import Any

import pytest

from saga.errors import StoreUnavailable
from saga.inventory import (
    commit_inventory,
    get_item,
    get_reservation,
    release_inventory,
    reserve_inventory,
)
from saga.ports import DocumentStore
from tests.fakes import InMemoryStore
from tools.bench.counting import KINDS, CountingStore


def line(sku: str, quantity: int) -> dict[str, Any]:
    return {"sku": sku, "quantity": quantity}


def levels(store: DocumentStore, sku: str) -> tuple[int, int, int]:
    item = get_item(store, sku)
    assert item is not None
    return item["available"], item["reserved"], item["shipped"]


def entry(store: DocumentStore, sku: str, order_id: str) -> dict[str, Any] | None:
    """The reservation's state and quantity (and why, for a self-rolled-back reserve)."""
    found = get_reservation(store, sku, order_id)
    if found is None:
        return None
    return {k: v for k, v in found.items() if k in ("quantity", "state", "code")}


def test_reserving_moves_stock_from_available_to_reserved(stocked: DocumentStore) -> None:
    result = reserve_inventory(stocked, "o1", [line("a", 3), line("b", 2)])
    assert result == {
        "ok": True,
        "code": None,
        "message": None,
        "order_id": "o1",
        "items": [line("a", 3), line("b", 2)],
    }
    assert levels(stocked, "a") == (7, 3, 0)
    assert levels(stocked, "b") == (3, 2, 0)


def test_reserving_twice_holds_one_reservation_and_answers_the_same(
    stocked: DocumentStore,
) -> None:
    first = reserve_inventory(stocked, "o1", [line("a", 3)])
    assert reserve_inventory(stocked, "o1", [line("a", 3)]) == first
    assert levels(stocked, "a") == (7, 3, 0)


def test_a_sku_repeated_in_one_request_is_reserved_as_one_line(stocked: DocumentStore) -> None:
    result = reserve_inventory(stocked, "o1", [line("a", 1), line("b", 1), line("a", 2)])
    assert result["items"] == [line("a", 3), line("b", 1)]
    assert entry(stocked, "a", "o1") == {"quantity": 3, "state": "reserved"}


def test_out_of_stock_on_one_sku_leaves_every_sku_available_as_before(
    stocked: DocumentStore,
) -> None:
    result = reserve_inventory(stocked, "o1", [line("a", 3), line("b", 6)])
    assert (result["ok"], result["code"], result["sku"]) == (False, "out_of_stock", "b")
    assert levels(stocked, "a") == (10, 0, 0)
    assert levels(stocked, "b") == (5, 0, 0)


def test_a_retried_refused_reservation_gives_the_first_answer(stocked: DocumentStore) -> None:
    first = reserve_inventory(stocked, "o1", [line("a", 3), line("b", 6)])
    again = reserve_inventory(stocked, "o1", [line("a", 3), line("b", 6)])
    assert (again["ok"], again["code"]) == (False, first["code"])
    assert levels(stocked, "a") == (10, 0, 0)


def test_reserving_an_unknown_sku_is_refused_and_holds_nothing(stocked: DocumentStore) -> None:
    result = reserve_inventory(stocked, "o1", [line("a", 1), line("zzz", 1)])
    assert (result["ok"], result["code"], result["sku"]) == (False, "unknown_sku", "zzz")
    assert levels(stocked, "a") == (10, 0, 0)


@pytest.mark.parametrize("quantity", [0, -3, 1.5])
def test_a_reservation_of_a_non_positive_or_fractional_quantity_is_refused(
    stocked: DocumentStore, quantity: Any
) -> None:
    result = reserve_inventory(stocked, "o1", [line("a", 1), line("b", quantity)])
    assert (result["ok"], result["code"]) == (False, "invalid_order")
    assert levels(stocked, "a") == (10, 0, 0)
    assert levels(stocked, "b") == (5, 0, 0)


def test_releasing_returns_reserved_stock_to_available(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    result = release_inventory(stocked, "o1", [line("a", 3)])
    assert result["ok"] is True
    assert result["items"] == [{"sku": "a", "quantity": 3, "state": "released"}]
    assert levels(stocked, "a") == (10, 0, 0)


def test_releasing_twice_releases_once_and_answers_the_same(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    reserve_inventory(stocked, "o2", [line("a", 2)])
    first = release_inventory(stocked, "o1", [line("a", 3)])
    assert release_inventory(stocked, "o1", [line("a", 3)]) == first
    assert levels(stocked, "a") == (8, 2, 0)


def test_release_before_reserve_leaves_a_tombstone_that_refuses_the_late_reserve(
    stocked: DocumentStore,
) -> None:
    released = release_inventory(stocked, "o1", [line("a", 3)])
    assert released["items"] == [{"sku": "a", "quantity": 0, "state": "released"}]
    late = reserve_inventory(stocked, "o1", [line("a", 3)])
    assert (late["ok"], late["code"]) == (False, "compensated")
    assert levels(stocked, "a") == (10, 0, 0)


def test_releasing_a_sku_the_catalogue_lacks_reports_nothing_held(stocked: DocumentStore) -> None:
    result = release_inventory(stocked, "o1", [line("zzz", 1)])
    assert result["items"] == [{"sku": "zzz", "quantity": 0, "state": None}]


def test_committing_moves_reserved_stock_to_shipped_once(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3), line("b", 1)])
    first = commit_inventory(stocked, "o1", [line("a", 3), line("b", 1)])
    assert first["ok"] is True
    assert first["items"] == [
        {"sku": "a", "quantity": 3, "state": "committed"},
        {"sku": "b", "quantity": 1, "state": "committed"},
    ]
    assert commit_inventory(stocked, "o1", [line("a", 3), line("b", 1)]) == first
    assert levels(stocked, "a") == (7, 0, 3)


def test_commit_after_release_is_compensated_and_changes_nothing(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    release_inventory(stocked, "o1", [line("a", 3)])
    result = commit_inventory(stocked, "o1", [line("a", 3)])
    assert (result["ok"], result["code"]) == (False, "compensated")
    assert levels(stocked, "a") == (10, 0, 0)


def test_commit_without_a_reservation_is_refused_as_not_reserved(stocked: DocumentStore) -> None:
    result = commit_inventory(stocked, "o1", [line("a", 3)])
    assert (result["ok"], result["code"]) == (False, "not_reserved")
    assert entry(stocked, "a", "o1") is None


def test_releasing_after_commit_restocks_the_cancelled_shipment(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    commit_inventory(stocked, "o1", [line("a", 3)])
    result = release_inventory(stocked, "o1", [line("a", 3)])
    assert result["items"] == [{"sku": "a", "quantity": 3, "state": "released"}]
    assert levels(stocked, "a") == (10, 0, 0)
    assert release_inventory(stocked, "o1", [line("a", 3)]) == result


@pytest.mark.parametrize("step", [reserve_inventory, commit_inventory, release_inventory])
def test_each_step_on_one_sku_is_one_batch(stocked: DocumentStore, step: Any) -> None:
    reserve_inventory(stocked, "o1", [line("a", 1)])
    counting = CountingStore(stocked)
    step(counting, "o2" if step is reserve_inventory else "o1", [line("a", 1)])
    assert counting.counts() == {**dict.fromkeys(KINDS, 0), "batch": 1}


def test_a_release_with_the_wrong_quantity_rereads_and_releases_what_is_held(
    stocked: DocumentStore,
) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    result = release_inventory(stocked, "o1", [line("a", 1)])
    assert result["items"] == [{"sku": "a", "quantity": 3, "state": "released"}]
    assert levels(stocked, "a") == (10, 0, 0)


def test_a_commit_with_the_wrong_quantity_commits_what_is_held(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3)])
    result = commit_inventory(stocked, "o1", [line("a", 5)])
    assert result["items"] == [{"sku": "a", "quantity": 3, "state": "committed"}]
    assert levels(stocked, "a") == (7, 0, 3)


def test_the_stock_document_holds_only_its_counters_whatever_the_orders(
    stocked: DocumentStore,
) -> None:
    before = get_item(stocked, "a")
    for n in range(20):
        reserve_inventory(stocked, f"o{n}", [line("a", 1)])
        (commit_inventory if n % 2 else release_inventory)(stocked, f"o{n}", [line("a", 1)])
    after = get_item(stocked, "a")
    assert before is not None and after is not None
    assert set(after) == set(before)
    assert (after["available"], after["reserved"], after["shipped"]) == (0, 0, 10)


def test_a_refused_reserve_records_why_on_the_skus_it_had_held(stocked: DocumentStore) -> None:
    reserve_inventory(stocked, "o1", [line("a", 3), line("b", 6)])
    assert entry(stocked, "a", "o1") == {"quantity": 3, "state": "released", "code": "out_of_stock"}
    assert entry(stocked, "b", "o1") is None


def test_a_store_fault_is_raised_and_leaves_nothing_so_a_retry_reserves_once(
    stocked_fake: InMemoryStore,
) -> None:
    stocked_fake.fail_next("batch")
    with pytest.raises(StoreUnavailable):
        reserve_inventory(stocked_fake, "o1", [line("a", 3)])
    assert levels(stocked_fake, "a") == (10, 0, 0)
    assert reserve_inventory(stocked_fake, "o1", [line("a", 3)])["ok"] is True
    assert levels(stocked_fake, "a") == (7, 3, 0)


def test_a_retry_after_a_lost_answer_returns_the_first_answer(stocked_fake: InMemoryStore) -> None:
    first = reserve_inventory(stocked_fake, "o1", [line("a", 3)])
    again = reserve_inventory(stocked_fake, "o1", [line("a", 3)])
    assert again == first
    assert stocked_fake.calls["batch"] == 2 and stocked_fake.calls["read"] == 1
    assert levels(stocked_fake, "a") == (7, 3, 0)
