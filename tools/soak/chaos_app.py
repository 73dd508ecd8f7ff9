"""The real function app with one fault made on purpose, chosen by CHOREOGRAPHY_CHAOS, for the
choreography e2e tests (``--app tools.soak.chaos_app:app``):

- ``twice``: every event is published twice (at-least-once delivery at its worst);
- ``drop``: PaymentCompleted events of orders named ``lost-*`` are never published (a stuck saga);
- ``crash``: payment writes wait for the file CHAOS_GO, and the process dies (as with kill -9)
  right after writing the payment of order CHAOS_CRASH_ORDER, once (CHAOS_CRASHED records it).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import composition
from adapters.store_factory import build_store
from function_app import app
from saga.containers import PAYMENTS
from saga.operations import Operation, Patch
from saga.ports import Document, DocumentStore
from saga.seed import seed_demo_data

__all__ = ["app"]


class _LazyBus:
    """The app's own publisher, built on first use (the host sets its connection after import)."""

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        from adapters.eventhubs import build_publisher

        build_publisher(composition.get_settings()).publish(hub, events)


class TwicePublisher(_LazyBus):
    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        super().publish(hub, events)
        super().publish(hub, events)


class DroppingPublisher(_LazyBus):
    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        super().publish(hub, [(key, body) for key, body in events if not _lost(body)])


def _lost(body: str) -> bool:
    event = json.loads(body)
    return event["type"] == "PaymentCompleted" and event["order_id"].startswith("lost-")


class CrashingStore:
    """The configured store; payment creates are held, then the process dies after one."""

    def __init__(self) -> None:
        self._inner: DocumentStore | None = None

    @property
    def inner(self) -> DocumentStore:
        if self._inner is None:
            self._inner = build_store(composition.get_settings())
            seed_demo_data(self._inner)
        return self._inner

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        return self.inner.read(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        if container != PAYMENTS:
            return self.inner.create(container, partition, doc)
        while not Path(os.environ["CHAOS_GO"]).exists():
            time.sleep(0.01)
        created = self.inner.create(container, partition, doc)
        crashed = Path(os.environ["CHAOS_CRASHED"])
        if partition == os.environ["CHAOS_CRASH_ORDER"] and not crashed.exists():
            crashed.touch()
            os._exit(137)  # the charge is stored; its event and ledger entry are not
        return created

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        return self.inner.replace(container, partition, doc, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        return self.inner.patch(container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        return self.inner.batch(container, partition, operations)

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        return self.inner.query(container, equals, partition)


_CHAOS = os.environ.get("CHOREOGRAPHY_CHAOS", "")
if _CHAOS == "twice":
    composition.override(publisher=TwicePublisher())
elif _CHAOS == "drop":
    composition.override(publisher=DroppingPublisher())
elif _CHAOS == "crash":
    _store: DocumentStore = CrashingStore()  # typed, so mypy holds it to the whole port
    composition.override(store=_store)
