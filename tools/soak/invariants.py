"""Invariants of a finished run, computed from the app's document store: stock is conserved and
never negative, money nets to 0 or the order amount, each saga's effects match its outcome,
every saga is terminal, and every dead letter is explained. Shared by the soak and the tests."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from saga.models import CANCELLED, CHARGED, COMMITTED, CONFIRMED, RESERVED, SHIPPED
from saga.ports import DocumentStore
from tools.soak.snapshot import Snapshot

COMPLETED, COMPENSATED, COMPENSATION_FAILED = "completed", "compensated", "compensation_failed"
TERMINAL = (COMPLETED, COMPENSATED, COMPENSATION_FAILED)


@dataclass(frozen=True)
class Outcome:
    """A saga's end as its public status tells it (``missing`` when there is none)."""

    status: str
    failed_compensations: tuple[str, ...] = ()
    body: Any = field(default=None, compare=False)


class Violation(NamedTuple):
    rule: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.subject}: {self.detail}"


def check(
    store: DocumentStore,
    initial_stock: Mapping[str, int],
    outcomes: Mapping[str, Outcome],
    poisoned: Set[str] = frozenset(),
) -> list[Violation]:
    """Every invariant over the whole store; ``outcomes`` maps each saga's order id to its end,
    ``poisoned`` names orders given a dead letter on purpose."""
    snap = Snapshot.read(store)
    found = [*stock(snap, initial_stock), *money(snap)]
    for order_id, outcome in outcomes.items():
        found += effects(snap, order_id, outcome)
    found += dead_letters(snap, outcomes, poisoned)
    found += [
        Violation("order_without_saga", order_id, "an order no saga of the run created")
        for order_id in snap.orders.keys() - outcomes.keys()
    ]
    return found


def stock(snap: Snapshot, initial_stock: Mapping[str, int]) -> list[Violation]:
    """Per SKU: available + reserved + shipped = initial, none negative, and the counters agree
    with the reservation documents."""
    found = []
    for sku, initial in initial_stock.items():
        item = snap.items.get(sku)
        if item is None:
            found.append(Violation("stock_conserved", sku, "item missing"))
            continue
        counts = {key: item[key] for key in ("available", "reserved", "shipped")}
        if min(counts.values()) < 0:
            found.append(Violation("stock_never_negative", sku, str(counts)))
        if sum(counts.values()) != initial:
            found.append(Violation("stock_conserved", sku, f"{counts}, initial {initial}"))
        for state, total in ((RESERVED, "reserved"), (COMMITTED, "shipped")):
            held = snap.held(sku, state)
            if held != item[total]:
                found.append(Violation("stock_ledger", sku, f"{total} {item[total]}, {held}"))
    return found


def money(snap: Snapshot) -> list[Violation]:
    """Per order: one payment document, and charged - refunded is 0 or the order amount."""
    found = []
    for order_id, payments in snap.payments.items():
        if len(payments) > 1:
            found.append(Violation("single_charge", order_id, f"{len(payments)} payments"))
        net = sum(p["amount_minor"] for p in payments if p["state"] == CHARGED)
        order = snap.orders.get(order_id) or {}
        if net not in (0, order.get("amount_minor")):
            detail = f"net {net}, order amount {order.get('amount_minor')}"
            found.append(Violation("money_nets", order_id, detail))
    return found


def effects(snap: Snapshot, order_id: str, outcome: Outcome) -> list[Violation]:
    """What a completed saga must have done, and a compensated one must have left undone."""
    if outcome.status == COMPLETED:
        problems = _missing_effects(snap, order_id)
    elif outcome.status == COMPENSATED:
        problems = _remaining_effects(snap, order_id)
    elif outcome.status == COMPENSATION_FAILED:
        problems = [] if outcome.failed_compensations else ["no failed compensation listed"]
        problems += [] if snap.dead_letters.get(order_id) else ["no dead letter"]
    else:
        return [Violation("terminal", order_id, f"saga ended {outcome.status}")]
    return [Violation(f"{outcome.status}_effects", order_id, p) for p in problems]


def _missing_effects(snap: Snapshot, order_id: str) -> list[str]:
    order = snap.orders.get(order_id) or {}
    payment = (snap.payments.get(order_id) or [{}])[0]
    problems = [] if order.get("state") == CONFIRMED else [f"order {order.get('state')}"]
    if (payment.get("state"), payment.get("amount_minor")) != (CHARGED, order.get("amount_minor")):
        problems.append(f"payment {payment.get('state')} {payment.get('amount_minor')}")
    if (snap.shipments.get(order_id) or {}).get("state") != SHIPPED:
        problems.append("not shipped")
    entries = snap.entries(order_id)
    for line in order.get("items") or []:
        entry = entries.get(line["sku"]) or {}
        if (entry.get("state"), entry.get("quantity")) != (COMMITTED, line["quantity"]):
            problems.append(f"{line['sku']} {entry.get('state')} {entry.get('quantity')}")
    return problems


def _remaining_effects(snap: Snapshot, order_id: str) -> list[str]:
    order = snap.orders.get(order_id)
    problems = [] if order is None or order["state"] == CANCELLED else [f"order {order['state']}"]
    if any(p["state"] == CHARGED for p in snap.payments.get(order_id, [])):
        problems.append("payment still charged")
    if (snap.shipments.get(order_id) or {}).get("state") == SHIPPED:
        problems.append("shipment still shipped")
    held = {sku: e["state"] for sku, e in snap.entries(order_id).items()}
    problems += [f"{sku} still {s}" for sku, s in held.items() if s in (RESERVED, COMMITTED)]
    return problems


def dead_letters(
    snap: Snapshot, outcomes: Mapping[str, Outcome], poisoned: Set[str]
) -> list[Violation]:
    """Dead letters belong to sagas that ended compensation_failed, or to deliberate poison."""
    return [
        Violation("dead_letter_explained", order_id, f"{len(letters)} dead letter(s)")
        for order_id, letters in snap.dead_letters.items()
        if order_id not in poisoned
        and getattr(outcomes.get(order_id), "status", None) != COMPENSATION_FAILED
    ]
