"""ETag-conditional read-modify-write with a bounded, jittered retry: how services change documents.

A lost race (412 on replace, 409 on create) means someone else wrote first: re-read, decide again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import cast

from saga.errors import AlreadyExists, ConcurrencyExhausted, PreconditionFailed, StoreUnavailable
from saga.ports import Document, DocumentStore

MAX_ATTEMPTS = 20
_BASE_DELAY_S = 0.0005
_MAX_DELAY_S = 0.01

Mutation = Callable[[Document | None], Document | None]


def update_with_retry(
    store: DocumentStore,
    container: str,
    partition: str,
    doc_id: str,
    mutate: Mutation,
    attempts: int = MAX_ATTEMPTS,
) -> Document | None:
    """Apply ``mutate`` to the current document (None when absent) and write what it returns.

    ``mutate`` may edit the document it is given and return it (a replace), return a new document
    when given None (a create), or return None for "nothing to do". Returns the document as it
    stands afterwards: the written version, or the unchanged one read.
    """
    for attempt in range(attempts):
        current = store.read(container, partition, doc_id)
        etag = current.get("_etag") if current is not None else None
        wanted = mutate(current)
        if wanted is None:
            return current
        try:
            if current is None:
                return store.create(container, partition, wanted)
            return store.replace(container, partition, wanted, str(etag))
        except (PreconditionFailed, AlreadyExists):
            _backoff(attempt)
    raise ConcurrencyExhausted(
        f"{container}/{partition}/{doc_id}: lost the write race {attempts} times in a row"
    )


def undo_or_tombstone(
    store: DocumentStore,
    container: str,
    partition: str,
    tombstone: Document,
    undo: Callable[[Document], bool],
) -> Document:
    """A compensation: ``undo`` edits the forward document in place (False: nothing to undo); when
    there is none yet, create ``tombstone`` so the late forward step finds it and stands down."""

    def mutate(current: Document | None) -> Document | None:
        if current is None:
            return tombstone
        return current if undo(current) else None

    # Never None: with no document, mutate asks for the tombstone to be created.
    return cast(Document, update_with_retry(store, container, partition, tombstone["id"], mutate))


def create_or_read(store: DocumentStore, container: str, partition: str, doc: Document) -> Document:
    """Create ``doc``; if its id is taken, the stored document wins ("already done").

    One round trip on the happy path, two on a retry.
    """
    try:
        return store.create(container, partition, doc)
    except AlreadyExists:
        stored = store.read(container, partition, doc["id"])
    if stored is None:  # documents are never deleted, so this is a store fault
        where = f"{container}/{partition}/{doc['id']}"
        raise StoreUnavailable(f"{where}: 409 on create, then not found")
    return stored


def _backoff(attempt: int) -> None:
    # Full jitter spreads competing writers apart; the cap keeps a hot document's queue short.
    time.sleep(random.uniform(0, min(_BASE_DELAY_S * 2**attempt, _MAX_DELAY_S)))
