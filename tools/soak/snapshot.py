"""The app's documents after a run, read once from the store and indexed by SKU and order id;
``order_view`` is what one order left behind, for comparing two runs of the same sagas."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from saga.containers import DEADLETTERS, INVENTORY, ORDERS, PAYMENTS, SHIPMENTS
from saga.models import RESERVATION
from saga.ports import Document, DocumentStore


@dataclass(frozen=True)
class Snapshot:
    """The store's documents, indexed the way the checks read them."""

    items: dict[str, Document]
    reservations: dict[str, dict[str, Document]]  # order id -> SKU -> reservation document
    orders: dict[str, Document]
    payments: dict[str, list[Document]]
    shipments: dict[str, Document]
    dead_letters: dict[str, list[Document]]

    @classmethod
    def read(cls, store: DocumentStore) -> Snapshot:
        def by(container: str, key: str) -> dict[str, list[Document]]:
            grouped: dict[str, list[Document]] = defaultdict(list)
            for doc in store.query(container, {}):
                grouped[doc[key]].append(doc)
            return grouped

        def one(container: str, key: str) -> dict[str, Document]:
            return {name: docs[0] for name, docs in by(container, key).items()}

        inventory = store.query(INVENTORY, {})
        reservations: dict[str, dict[str, Document]] = defaultdict(dict)
        for doc in inventory:
            if doc.get("kind") == RESERVATION:
                reservations[doc["order_id"]][doc["sku"]] = doc
        return cls(
            {doc["sku"]: doc for doc in inventory if doc["id"] == doc["sku"]},
            dict(reservations),
            one(ORDERS, "order_id"),
            by(PAYMENTS, "order_id"),
            one(SHIPMENTS, "order_id"),
            by(DEADLETTERS, "order_id"),
        )

    def entries(self, order_id: str) -> dict[str, Document]:
        """The order's reservation document in each SKU that has one."""
        return self.reservations.get(order_id, {})

    def held(self, sku: str, state: str) -> int:
        """Units of ``sku`` that reservations in ``state`` hold."""
        return sum(
            entry["quantity"]
            for by_sku in self.reservations.values()
            if (entry := by_sku.get(sku)) is not None and entry["state"] == state
        )

    def order_view(self, order_id: str) -> dict[str, Any]:
        """The business state one order left: order, payment, shipment, reservations, letters."""
        order = self.orders.get(order_id) or {}
        payments = self.payments.get(order_id) or []
        shipment = self.shipments.get(order_id) or {}
        entries = self.entries(order_id).items()
        return {
            "order": order.get("state"),
            "payments": sorted((p["state"], p["amount_minor"]) for p in payments),
            "shipment": shipment.get("state"),
            "reservations": {s: (e["state"], e["quantity"]) for s, e in entries},
            "dead_letters": sorted(d["id"] for d in self.dead_letters.get(order_id, [])),
        }
