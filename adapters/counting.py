"""A ``DocumentStore`` wrapper that counts round trips per operation kind, for benchmarks that
report store calls per saga alongside latency."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from saga.operations import Operation, Patch
from saga.ports import Document, DocumentStore

KINDS = ("read", "create", "replace", "patch", "batch", "query")


class CountingStore:
    """Delegates to ``inner`` and counts every call (failed ones too: they were round trips)."""

    def __init__(self, inner: DocumentStore) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        self._count("read")
        return self.inner.read(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        self._count("create")
        return self.inner.create(container, partition, doc)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        self._count("replace")
        return self.inner.replace(container, partition, doc, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        self._count("patch")
        return self.inner.patch(container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        self._count("batch")
        return self.inner.batch(container, partition, operations)

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        self._count("query")
        return self.inner.query(container, equals, partition)

    def counts(self) -> dict[str, int]:
        """Calls per kind since the last ``reset()``, every kind present (zero when unused)."""
        with self._lock:
            return {kind: self._counts[kind] for kind in KINDS}

    @property
    def total(self) -> int:
        """All calls since the last ``reset()``."""
        with self._lock:
            return sum(self._counts.values())

    def reset(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._counts.clear()

    def _count(self, kind: str) -> None:
        with self._lock:
            self._counts[kind] += 1
