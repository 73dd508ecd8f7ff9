"""Reading a saga's business documents in tests (without store metadata)."""

from __future__ import annotations

from saga import models
from saga.containers import PAYMENTS, SHIPMENTS
from saga.ports import Document, DocumentStore


def get_payment(store: DocumentStore, order_id: str) -> Document | None:
    return models.public(store.read(PAYMENTS, order_id, order_id))


def get_shipment(store: DocumentStore, order_id: str) -> Document | None:
    return models.public(store.read(SHIPMENTS, order_id, order_id))
