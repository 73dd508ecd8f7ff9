"""Comparing two runs of the same sagas: the same store and statuses agree; a changed order, a
changed status or a changed stock count is a difference."""

from __future__ import annotations

from adapters.sqlite import SqliteStore
from saga import orders, payments
from saga.seed import ensure_item
from tools.soak.compare import differences, final_state
from tools.soak.invariants import Outcome
from tools.soak.snapshot import Snapshot


def run_once(refund: bool, status: str = "compensated") -> dict[str, object]:
    store = SqliteStore(":memory:")
    ensure_item(store, "a", 10, 100)
    orders.create_order(store, "o", "c", [{"sku": "a", "quantity": 1}], 100)
    payments.charge_payment(store, "o", "c", 100, 10**9)
    if refund:
        payments.refund_payment(store, "o")
    body = {"completed_steps": ["create_order"], "compensated_steps": [], "error": None}
    return final_state(Snapshot.read(store), {"o": Outcome(status, (), body)}, ["a"])


def test_identical_runs_have_no_difference() -> None:
    assert differences("again", run_once(True), run_once(True)) == []


def test_a_changed_document_or_status_is_a_difference() -> None:
    assert [d.split(":")[0] for d in differences("x", run_once(True), run_once(False))] == [
        "x differs for o"
    ]
    assert len(differences("x", run_once(True), run_once(True, "completed"))) == 1
