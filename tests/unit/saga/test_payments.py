"""Payments: one charge per order, declines that stay declined, refunds that leave tombstones."""

from __future__ import annotations

from saga.payments import charge_payment, refund_payment
from saga.ports import DocumentStore
from tests.documents import get_payment
from tools.bench.counting import CountingStore

LIMIT = 10_000


def test_a_charge_within_the_limit_is_recorded_once(store: DocumentStore) -> None:
    first = charge_payment(store, "o1", "c1", LIMIT, LIMIT)
    assert first == {
        "ok": True,
        "code": None,
        "message": None,
        "order_id": "o1",
        "customer_id": "c1",
        "amount_minor": LIMIT,
        "state": "charged",
    }
    assert charge_payment(store, "o1", "c1", LIMIT, LIMIT) == first


def test_a_charge_costs_one_round_trip(store: DocumentStore) -> None:
    counting = CountingStore(store)
    charge_payment(counting, "o1", "c1", 500, LIMIT)
    assert counting.total == 1


def test_a_charge_over_the_limit_is_declined_and_stays_declined_on_retry(
    store: DocumentStore,
) -> None:
    first = charge_payment(store, "o1", "c1", LIMIT + 1, LIMIT)
    assert (first["ok"], first["code"], first["state"]) == (False, "payment_declined", "declined")
    again = charge_payment(store, "o1", "c1", LIMIT + 1, 10 * LIMIT)
    assert (again["ok"], again["code"]) == (False, "payment_declined")


def test_refunding_a_charge_refunds_it_once(store: DocumentStore) -> None:
    charge_payment(store, "o1", "c1", 700, LIMIT)
    first = refund_payment(store, "o1")
    assert (first["ok"], first["state"], first["refunded_minor"]) == (True, "refunded", 700)
    assert refund_payment(store, "o1") == first


def test_refund_before_charge_voids_the_payment_and_the_late_charge_moves_no_money(
    store: DocumentStore,
) -> None:
    voided = refund_payment(store, "o1")
    assert (voided["ok"], voided["state"], voided["refunded_minor"]) == (True, "voided", 0)
    late = charge_payment(store, "o1", "c1", 700, LIMIT)
    assert (late["ok"], late["code"]) == (False, "compensated")
    assert get_payment(store, "o1") == {
        "id": "o1",
        "order_id": "o1",
        "customer_id": None,
        "amount_minor": 0,
        "state": "voided",
    }


def test_refunding_a_declined_payment_has_nothing_to_undo(store: DocumentStore) -> None:
    charge_payment(store, "o1", "c1", LIMIT + 1, LIMIT)
    result = refund_payment(store, "o1")
    assert (result["ok"], result["state"], result["refunded_minor"]) == (True, "declined", 0)


def test_a_charge_retried_after_its_refund_is_compensated(store: DocumentStore) -> None:
    charge_payment(store, "o1", "c1", 700, LIMIT)
    refund_payment(store, "o1")
    result = charge_payment(store, "o1", "c1", 700, LIMIT)
    assert (result["ok"], result["code"], result["state"]) == (False, "compensated", "refunded")
