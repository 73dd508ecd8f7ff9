"""Batch operations and patches for stores that run them themselves (SQLite, the test fakes), on
four primitives; the store supplies the transaction that makes a failed batch leave nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from adapters.documents import ETAG, check_batch, check_patch, patched, satisfies, to_write
from saga.errors import AlreadyExists, BatchFailed, NotFound, PreconditionFailed
from saga.operations import Create, Delete, Operation, Patch, Read, Replace, Upsert
from saga.ports import Document


class Primitives(Protocol):
    """What a store does to one partition's documents inside its transaction."""

    def get(self, container: str, partition: str, doc_id: str) -> Document | None: ...

    def insert(self, container: str, partition: str, body: Document) -> Document:
        """AlreadyExists when the id is taken."""
        ...

    def overwrite(
        self, container: str, partition: str, body: Document, etag: str | None
    ) -> Document:
        """NotFound when absent, PreconditionFailed when ``etag`` is given and stale."""
        ...

    def remove(self, container: str, partition: str, doc_id: str) -> None:
        """NotFound when absent."""
        ...


def apply_patch(store: Primitives, container: str, partition: str, patch: Patch) -> Document:
    """Patch one document: NotFound when absent, PreconditionFailed when ``where`` is false."""
    check_patch(container, patch)
    current = store.get(container, partition, patch.doc_id)
    if current is None:
        raise NotFound(f"{container}/{partition}/{patch.doc_id} does not exist")
    if not satisfies(current, patch.where):
        raise PreconditionFailed(f"{container}/{partition}/{patch.doc_id}: predicate is false")
    return store.overwrite(container, partition, patched(current, patch), current[ETAG])


def run_batch(
    store: Primitives, container: str, partition: str, operations: Sequence[Operation]
) -> list[Document | None]:
    """Run the operations in order; the first failure raises BatchFailed (the caller rolls back)."""
    check_batch(operations)
    results: list[Document | None] = []
    for index, operation in enumerate(operations):
        try:
            results.append(_run(store, container, partition, operation))
        except (AlreadyExists, PreconditionFailed) as cause:
            raise BatchFailed(index, cause) from cause
    return results


def _run(store: Primitives, container: str, partition: str, op: Operation) -> Document | None:
    if isinstance(op, Create):
        return store.insert(container, partition, to_write(container, partition, op.doc))
    if isinstance(op, Read):
        found = store.get(container, partition, op.doc_id)
        if found is None:
            raise NotFound(f"{container}/{partition}/{op.doc_id} does not exist")
        return found
    if isinstance(op, Replace):
        return store.overwrite(
            container, partition, to_write(container, partition, op.doc), op.etag
        )
    if isinstance(op, Upsert):
        body = to_write(container, partition, op.doc)
        if store.get(container, partition, body["id"]) is None:
            return store.insert(container, partition, body)
        return store.overwrite(container, partition, body, None)
    if isinstance(op, Delete):
        store.remove(container, partition, op.doc_id)
        return None
    return apply_patch(store, container, partition, op)
