"""An in-memory ``DocumentStore`` behaving like the real ones (ETag per write, 409, 412, atomic
batches, conditional patches, time to live), plus fault injection: fail the next calls of an
operation, or slip a competing write in before a replace."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from adapters.batch import apply_patch, run_batch
from adapters.documents import ETAG, check_equals, partition_field, to_write
from adapters.expiry import TimeToLive, check_ttl, expires_at
from saga.errors import AlreadyExists, NotFound, PreconditionFailed, StoreUnavailable
from saga.operations import Operation, Patch
from saga.ports import Document

Key = tuple[str, str, str]
# Called as (container, partition, doc) just before a replace compares ETags.
ReplaceHook = Callable[[str, str, Document], None]


class InMemoryStore:
    """Documents kept as JSON text (so only JSON-safe documents fit), guarded by one lock."""

    def __init__(
        self, ttl: TimeToLive | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self._lock = threading.Lock()
        self._docs: dict[Key, tuple[str, str]] = {}
        self._expires: dict[Key, float] = {}
        self._ttl, self._clock = check_ttl(ttl or {}), clock
        self._etags = itertools.count(1)
        self._faults: dict[str, deque[Exception]] = {}
        self._replace_hooks: deque[ReplaceHook] = deque()
        self.calls: Counter[str] = Counter()

    def fail_next(self, operation: str, times: int = 1, error: Exception | None = None) -> None:
        """Make the next ``times`` calls of ``operation`` raise ``error`` (StoreUnavailable)."""
        fault = error or StoreUnavailable(f"injected {operation} fault")
        self._faults.setdefault(operation, deque()).extend([fault] * times)

    def before_replace(self, hook: ReplaceHook, times: int = 1) -> None:
        """Run ``hook`` before each of the next ``times`` replaces, e.g. to write a competing
        version so the replace meets a stale ETag."""
        self._replace_hooks.extend([hook] * times)

    def bump(self, container: str, partition: str, doc_id: str) -> None:
        """Rewrite a document unchanged under a new ETag: the competing write of a race."""
        with self._lock:
            body, _ = self._docs[(container, partition, doc_id)]
            self._docs[(container, partition, doc_id)] = (body, self._new_etag())

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        self._enter("read")
        partition_field(container)
        with self._lock:
            return self.get(container, partition, doc_id)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        self._enter("create")
        body = to_write(container, partition, doc)
        with self._lock:
            return self.insert(container, partition, body)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        self._enter("replace")
        body = to_write(container, partition, doc)
        if self._replace_hooks:
            self._replace_hooks.popleft()(container, partition, doc)
        with self._lock:  # NotFound for a missing document is a PreconditionFailed too
            return self.overwrite(container, partition, body, etag)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        self._enter("patch")
        partition_field(container)
        with self._lock:
            return apply_patch(self, container, partition, patch)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        self._enter("batch")
        partition_field(container)
        with self._lock:
            before = dict(self._docs), dict(self._expires)
            try:
                return run_batch(self, container, partition, operations)
            except BaseException:
                self._docs, self._expires = before  # all or nothing, as a Cosmos batch
                raise

    # The primitives ``adapters.batch`` runs on; the caller holds the lock.

    def get(self, container: str, partition: str, doc_id: str) -> Document | None:
        stored = self._alive((container, partition, doc_id))
        return None if stored is None else _document(stored)

    def insert(self, container: str, partition: str, body: Document) -> Document:
        key = (container, partition, body["id"])
        if self._alive(key) is not None:
            raise AlreadyExists(f"{key} already exists")
        self._docs[key] = stored = (json.dumps(body), self._new_etag())
        self._set_expiry(key, body)
        return _document(stored)

    def overwrite(
        self, container: str, partition: str, body: Document, etag: str | None
    ) -> Document:
        key = (container, partition, body["id"])
        current = self._alive(key)
        if current is None:
            raise NotFound(f"{key} does not exist")
        if etag is not None and current[1] != etag:
            raise PreconditionFailed(f"{key} is not at etag {etag}")
        self._docs[key] = stored = (json.dumps(body), self._new_etag())
        self._set_expiry(key, body)
        return _document(stored)

    def remove(self, container: str, partition: str, doc_id: str) -> None:
        key = (container, partition, doc_id)
        if self._alive(key) is None:
            raise NotFound(f"{key} does not exist")
        del self._docs[key]
        self._expires.pop(key, None)

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        self._enter("query")
        partition_field(container)
        check_equals(equals)
        with self._lock:
            rows = [
                stored
                for key, stored in list(self._docs.items())
                if key[0] == container and partition in (None, key[1]) and self._alive(key)
            ]
        docs = [_document(row) for row in rows]
        return [doc for doc in docs if all(_same(doc.get(k), v) for k, v in equals.items())]

    def _alive(self, key: Key) -> tuple[str, str] | None:
        """The stored document, or None when absent or expired (an expired one is deleted)."""
        expires = self._expires.get(key)
        if expires is not None and expires <= self._clock():
            del self._docs[key], self._expires[key]
        return self._docs.get(key)

    def _set_expiry(self, key: Key, body: Document) -> None:
        expires = expires_at(self._ttl, key[0], body, self._clock())
        if expires is None:
            self._expires.pop(key, None)
        else:
            self._expires[key] = expires

    def _enter(self, operation: str) -> None:
        """Count the round trip, then raise an injected fault if one is queued."""
        time.sleep(0)  # let other threads run, as a network round trip would, so races happen
        with self._lock:
            self.calls[operation] += 1
            faults = self._faults.get(operation)
            fault = faults.popleft() if faults else None
        if fault is not None:
            raise fault

    def _new_etag(self) -> str:
        return f'"{next(self._etags)}"'


def _document(stored: tuple[str, str]) -> Document:
    body: Document = json.loads(stored[0])
    body[ETAG] = stored[1]
    return body


def _same(found: Any, wanted: Any) -> bool:
    # JSON types differ where Python's == does not: true is not 1.
    return isinstance(found, bool) == isinstance(wanted, bool) and found == wanted
