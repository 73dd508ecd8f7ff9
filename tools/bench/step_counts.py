"""Store round trips per saga step: a ``DocumentStore`` wrapper that files each call under the
activity running on the calling thread, and the activity wrappers that say which one that is."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from saga.operations import Operation, Patch
from saga.ports import Document, DocumentStore
from tools.bench.workload import ROOT


class StepCounts:
    """Delegates to ``inner``; ``calls[activity]`` counts its round trips, ``runs[activity]``
    how many times the activity ran. Calls outside an activity (seeding) are not counted."""

    def __init__(self, inner: DocumentStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()
        self.runs: Counter[str] = Counter()
        self._current = threading.local()
        self._lock = threading.Lock()

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        self._count()
        return self.inner.read(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        self._count()
        return self.inner.create(container, partition, doc)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        self._count()
        return self.inner.replace(container, partition, doc, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        self._count()
        return self.inner.patch(container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        self._count()
        return self.inner.batch(container, partition, operations)

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        self._count()
        return self.inner.query(container, equals, partition)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.runs.clear()

    @contextmanager
    def attributing(self) -> Iterator[None]:
        """While the block runs, the app's indexed activities (the index a dev host started in
        this process uses) file their store calls under their names."""
        from devhost.functions.app_index import build_index, load_app

        activities = build_index(load_app("function_app:app", ROOT)).activities
        originals = dict(activities)
        for key, indexed in originals.items():
            name = indexed.trigger.get("activity") or indexed.name
            activities[key] = replace(
                indexed, user_function=self._wrap(name, indexed.user_function)
            )
        try:
            yield
        finally:
            activities.update(originals)

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def attributed(**kwargs: Any) -> Any:
            with self._lock:
                self.runs[name] += 1
            self._current.step = name
            try:
                return function(**kwargs)
            finally:
                self._current.step = None

        return attributed

    def _count(self) -> None:
        step = getattr(self._current, "step", None)
        if step is not None:
            with self._lock:
                self.calls[step] += 1
