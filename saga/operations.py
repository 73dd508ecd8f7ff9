"""The document operations a transactional batch is made of, and the one predicate language the
stores accept: a conjunction of ``field op value`` tests on top-level fields (never free text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from saga.ports import Document

Operator = Literal["=", "!=", "<", "<=", ">", ">="]
Scalar = int | str


@dataclass(frozen=True)
class Condition:
    """``doc[field] op value``; false when the field is missing or of another JSON type."""

    field: str
    op: Operator
    value: Scalar


@dataclass(frozen=True)
class Create:
    """Insert ``doc``; 409 (AlreadyExists) when its id is taken."""

    doc: Document


@dataclass(frozen=True)
class Read:
    """Read one document; 404 (NotFound) when absent."""

    doc_id: str


@dataclass(frozen=True)
class Replace:
    """Overwrite an existing document, only at ``etag`` when one is given (else 412)."""

    doc: Document
    etag: str | None = None


@dataclass(frozen=True)
class Upsert:
    """Insert or overwrite ``doc``."""

    doc: Document


@dataclass(frozen=True)
class Delete:
    """Remove one document; 404 (NotFound) when absent."""

    doc_id: str


@dataclass(frozen=True)
class Patch:
    """Add ``incr`` to numeric fields and ``assign`` fields, only where every ``where`` test holds
    (else 412, PreconditionFailed); 404 (NotFound) when the document is absent."""

    doc_id: str
    incr: Mapping[str, int] = field(default_factory=dict)
    assign: Mapping[str, Any] = field(default_factory=dict)
    where: tuple[Condition, ...] = ()


Operation = Create | Read | Replace | Upsert | Delete | Patch

MAX_BATCH_OPERATIONS = 100  # Cosmos's limit for one transactional batch
