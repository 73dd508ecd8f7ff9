"""Ports the domain core depends on: a document store (Cosmos or SQLite) and an event publisher.

Documents are JSON dicts with a string ``id``; the store adds ``_etag`` on every write. A container
holds one aggregate type and every document lives in one partition (the ``partition`` argument).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from saga.operations import Operation, Patch

Document = dict[str, Any]


class DocumentStore(Protocol):
    """Point reads and conditional writes on partitioned JSON documents.

    Errors: ``saga.errors.AlreadyExists`` when ``create`` meets an existing id (Cosmos 409),
    ``saga.errors.PreconditionFailed`` when ``replace`` meets a stale ETag or a missing
    document (Cosmos 412 / 404) or a patch's predicate is false, ``saga.errors.NotFound`` when a
    patch meets no document, ``saga.errors.StoreUnavailable`` for technical faults.
    """

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        """Return the document with its ``_etag``, or None when absent (one round trip)."""
        ...

    def create(self, container: str, partition: str, doc: Document) -> Document:
        """Insert ``doc`` (which carries its ``id``); return it with its new ``_etag``."""
        ...

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        """Overwrite the document only if its current ETag is ``etag``; return the new version."""
        ...

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        """Apply ``patch`` where its predicate holds (one round trip); return the new version."""
        ...

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        """Run ``operations`` (1 to 100) in one partition as one transaction, in one round trip:
        all take effect or none does. Returns each one's document (None for a delete); raises
        ``saga.errors.BatchFailed`` naming the first operation that failed and why."""
        ...

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        """Documents whose top-level fields equal ``equals`` (always parameterised).

        With ``partition`` the query stays in one partition; without it, it is a cross-partition
        query, meant for admin paths (watchdog, invariant checks), never a saga's hot path.
        """
        ...


class EventPublisher(Protocol):
    """Publishes serialized events to an event hub, ordered per partition key."""

    def publish(self, hub: str, events: Sequence[tuple[str, str]]) -> None:
        """Send ``(partition_key, json_body)`` pairs; raise on failure (the caller retries)."""
        ...
