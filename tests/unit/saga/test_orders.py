"""Orders: priced from the catalogue (or from prices looked up beforehand), idempotent by id,
confirmed once, cancelled by tombstone."""

from __future__ import annotations

from typing import Any

import pytest

from saga.catalogue import unit_price
from saga.orders import cancel_order, confirm_order, create_order, get_order
from saga.ports import DocumentStore
from tools.bench.counting import KINDS, CountingStore

LINES = [{"sku": "a", "quantity": 2}, {"sku": "b", "quantity": 1}]


def test_an_order_is_created_pending_and_priced_from_the_catalogue(stocked: DocumentStore) -> None:
    result = create_order(stocked, "o1", "c1", LINES, None)
    assert result == {
        "ok": True,
        "code": None,
        "message": None,
        "order_id": "o1",
        "customer_id": "c1",
        "items": LINES,
        "amount_minor": 2 * 1_000 + 250,
        "state": "pending",
        "reason": None,
    }
    assert get_order(stocked, "o1") == {
        "id": "o1",
        "order_id": "o1",
        "customer_id": "c1",
        "items": LINES,
        "amount_minor": 2_250,
        "state": "pending",
        "reason": None,
    }


def test_a_given_amount_is_kept_even_zero(stocked: DocumentStore) -> None:
    assert create_order(stocked, "o1", "c1", LINES, 0)["amount_minor"] == 0


def test_creating_the_same_order_twice_returns_the_stored_one(stocked: DocumentStore) -> None:
    first = create_order(stocked, "o1", "c1", LINES, None)
    assert create_order(stocked, "o1", "c1", list(reversed(LINES)), None) == first


@pytest.mark.parametrize(
    ("customer_id", "items", "amount_minor"),
    [("c2", LINES, None), ("c1", LINES[:1], None), ("c1", LINES, 1)],
    ids=["other customer", "other items", "other amount"],
)
def test_the_same_id_with_another_payload_is_an_order_conflict(
    stocked: DocumentStore, customer_id: str, items: list[dict[str, Any]], amount_minor: int | None
) -> None:
    create_order(stocked, "o1", "c1", LINES, 2_250)
    before = get_order(stocked, "o1")
    result = create_order(stocked, "o1", customer_id, items, amount_minor)
    assert (result["ok"], result["code"]) == (False, "order_conflict")
    assert get_order(stocked, "o1") == before


def test_an_order_with_an_unknown_sku_is_refused_and_not_written(stocked: DocumentStore) -> None:
    result = create_order(stocked, "o1", "c1", [*LINES, {"sku": "zzz", "quantity": 1}], None)
    assert (result["ok"], result["code"], result["skus"]) == (False, "unknown_sku", ["zzz"])
    assert get_order(stocked, "o1") is None


@pytest.mark.parametrize(
    ("items", "amount_minor"),
    [
        ([], None),
        ([{"sku": "a", "quantity": 0}], None),
        ([{"sku": "a", "quantity": -1}], None),
        ([{"sku": "a", "quantity": 1.5}], None),
        ([{"sku": "a", "quantity": True}], None),
        ([{"quantity": 1}], None),
        ("a", None),
        (LINES, 10.5),
        (LINES, -1),
    ],
)
def test_malformed_lines_or_amounts_are_an_invalid_order(
    stocked: DocumentStore, items: Any, amount_minor: Any
) -> None:
    result = create_order(stocked, "o1", "c1", items, amount_minor)
    assert (result["ok"], result["code"]) == (False, "invalid_order")
    assert get_order(stocked, "o1") is None


def test_creating_costs_one_read_per_sku_and_one_create(stocked: DocumentStore) -> None:
    counting = CountingStore(stocked)
    create_order(counting, "o1", "c1", LINES, None)
    assert counting.counts() == {**dict.fromkeys(KINDS, 0), "read": 2, "create": 1}


def test_an_order_given_its_prices_reads_nothing_and_is_one_create(stocked: DocumentStore) -> None:
    counting = CountingStore(stocked)
    result = create_order(counting, "o1", "c1", LINES, None, prices={"a": 7, "b": 3})
    assert result["amount_minor"] == 2 * 7 + 3
    assert counting.counts() == {**dict.fromkeys(KINDS, 0), "create": 1}


def test_a_sku_priced_as_unknown_refuses_the_order(stocked: DocumentStore) -> None:
    result = create_order(stocked, "o1", "c1", LINES, None, prices={"a": 7, "b": None})
    assert (result["ok"], result["code"], result["skus"]) == (False, "unknown_sku", ["b"])
    assert get_order(stocked, "o1") is None


def test_one_sku_is_priced_with_one_read(stocked: DocumentStore) -> None:
    counting = CountingStore(stocked)
    assert unit_price(counting, "a")["price_minor"] == 1_000
    assert unit_price(counting, "zzz")["price_minor"] is None
    assert counting.counts() == {**dict.fromkeys(KINDS, 0), "read": 2}


def test_confirming_a_pending_order_confirms_it_once(stocked: DocumentStore) -> None:
    create_order(stocked, "o1", "c1", LINES, None)
    first = confirm_order(stocked, "o1")
    assert (first["ok"], first["state"]) == (True, "confirmed")
    assert confirm_order(stocked, "o1") == first


def test_confirming_a_cancelled_order_is_compensated(stocked: DocumentStore) -> None:
    create_order(stocked, "o1", "c1", LINES, None)
    cancel_order(stocked, "o1", "payment declined")
    result = confirm_order(stocked, "o1")
    assert (result["ok"], result["code"], result["state"]) == (False, "compensated", "cancelled")


def test_confirming_an_unknown_order_is_refused(stocked: DocumentStore) -> None:
    result = confirm_order(stocked, "nope")
    assert (result["ok"], result["code"]) == (False, "unknown_order")
    assert get_order(stocked, "nope") is None


def test_cancelling_keeps_the_first_reason_when_repeated(stocked: DocumentStore) -> None:
    create_order(stocked, "o1", "c1", LINES, None)
    first = cancel_order(stocked, "o1", "out of stock")
    assert (first["ok"], first["state"], first["reason"]) == (True, "cancelled", "out of stock")
    assert cancel_order(stocked, "o1", "timeout") == first


def test_cancelling_a_confirmed_order_cancels_it(stocked: DocumentStore) -> None:
    create_order(stocked, "o1", "c1", LINES, None)
    confirm_order(stocked, "o1")
    assert cancel_order(stocked, "o1", "late failure")["state"] == "cancelled"


def test_cancel_before_create_leaves_a_tombstone_that_refuses_the_late_create(
    stocked: DocumentStore,
) -> None:
    tombstone = cancel_order(stocked, "o1", "deadline")
    assert (tombstone["ok"], tombstone["state"], tombstone["items"]) == (True, "cancelled", None)
    late = create_order(stocked, "o1", "c1", LINES, None)
    assert (late["ok"], late["code"]) == (False, "compensated")
    order = get_order(stocked, "o1")
    assert order is not None and order["items"] is None


def test_recreating_a_cancelled_order_says_it_was_cancelled(stocked: DocumentStore) -> None:
    create_order(stocked, "o1", "c1", LINES, None)
    cancel_order(stocked, "o1", "payment declined")
    result = create_order(stocked, "o1", "c1", LINES, None)
    assert (result["ok"], result["code"], result["state"]) == (
        False,
        "order_cancelled",
        "cancelled",
    )
