"""The one counting ``DocumentStore`` wrapper: round trips per operation kind, and per saga step
when the calling thread says which step it runs (``tools.bench.step_counts``)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from saga.containers import FAULTS
from saga.operations import Operation, Patch
from saga.ports import Document, DocumentStore

KINDS = ("read", "create", "replace", "patch", "batch", "query")


class CountingStore:
    """Delegates to ``inner`` and counts every call (failed ones too: they were round trips),
    except those of the fault injector, which production never makes."""

    def __init__(self, inner: DocumentStore) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        # Per step (activity name): round trips, and how many times the step ran.
        self.by_step: Counter[str] = Counter()
        self.runs: Counter[str] = Counter()
        self.current = threading.local()

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        self._count("read", container)
        return self.inner.read(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        self._count("create", container)
        return self.inner.create(container, partition, doc)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        self._count("replace", container)
        return self.inner.replace(container, partition, doc, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        self._count("patch", container)
        return self.inner.patch(container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        self._count("batch", container)
        return self.inner.batch(container, partition, operations)

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        self._count("query", container)
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
            self.by_step.clear()
            self.runs.clear()

    def count_run(self, step: str) -> None:
        with self._lock:
            self.runs[step] += 1

    def _count(self, kind: str, container: str) -> None:
        if container == FAULTS:
            return  # failure injection (SAGA_FAULT_INJECTION) is not part of a saga's cost
        step = getattr(self.current, "step", None)
        with self._lock:
            self._counts[kind] += 1
            if step is not None:
                self.by_step[step] += 1
