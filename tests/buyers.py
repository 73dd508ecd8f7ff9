"""Many buyers at once for the last units of one SKU, through every saga kind, over HTTP like
curl: the acceptance run of issue 11, shared by the SQLite (e2e) and Cosmos (integration) tiers."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from saga.containers import INVENTORY
from saga.models import RESERVATION
from saga.ports import DocumentStore
from saga.seed import SCARCE_SKU
from tests.e2e.saga_api import SagaApi

BUYERS = 60
KINDS = ("sequential", "parallel", "choreography")
LINE = [{"sku": SCARCE_SKU, "quantity": 1}]


def request(kind: str, number: int) -> tuple[str, dict[str, Any]]:
    """Buyer ``number``'s POST: one unit each; the parallel one priced from the catalogue."""
    business_id = f"le-{kind[0]}{number:02d}"
    if kind == "parallel":
        return "/api/saga/parallel", {"batch_id": business_id, "items": LINE}
    return f"/api/saga/{kind}", {"order_id": business_id, "amount": 10, "items": LINE}


Outcome = tuple[str, str, str | None]  # saga kind, saga status, error code


def buy_all_at_once(
    base_url: str, timeout: float, kinds: tuple[str, ...] = KINDS
) -> Counter[Outcome]:
    """POST every buyer's saga at the same moment (``kinds`` taken in turn), wait until each is
    terminal, and count the outcomes."""
    start = threading.Barrier(BUYERS)

    def buyer(number: int) -> Outcome:
        kind = kinds[number % len(kinds)]
        api = SagaApi(base_url)
        path, body = request(kind, number)
        start.wait()
        code, started = api.post(path, body)
        assert code == 202, started
        done = api.wait_until_done(
            started["id"], "choreography" if kind == "choreography" else "", timeout
        )
        return kind, done["saga_status"], (done.get("error") or {}).get("code")

    with ThreadPoolExecutor(BUYERS) as pool:
        return Counter(pool.map(buyer, range(BUYERS)))


def totals(
    outcomes: Counter[Outcome], kinds: tuple[str, ...] = KINDS
) -> Counter[tuple[str, str | None]]:
    """(saga status, error code) counts over every kind; each kind must have had buyers."""
    assert {kind for kind, _, _ in outcomes} == set(kinds)
    found: Counter[tuple[str, str | None]] = Counter()
    for (_, status, code), n in outcomes.items():
        found[(status, code)] += n
    return found


def stock_and_reservations(store: DocumentStore) -> tuple[tuple[int, int, int], Counter[str]]:
    """The SKU's (available, reserved, shipped) and its reservation documents by state."""
    item = store.read(INVENTORY, SCARCE_SKU, SCARCE_SKU)
    assert item is not None
    held = store.query(INVENTORY, {"kind": RESERVATION}, partition=SCARCE_SKU)
    return (item["available"], item["reserved"], item["shipped"]), Counter(r["state"] for r in held)
