"""Checks both document stores apply before touching storage, so SQLite and Cosmos reject the same
mistakes: unknown containers, documents outside their partition, unsafe query field names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from saga.containers import PARTITION_FIELDS
from saga.ports import Document

ETAG = "_etag"
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUERY_VALUE_TYPES = (str, int, float, bool)


def partition_field(container: str) -> str:
    """The document field ``container`` is partitioned on; ValueError for an unknown container."""
    try:
        return PARTITION_FIELDS[container]
    except KeyError:
        raise ValueError(f"unknown container {container!r}") from None


def to_write(container: str, partition: str, doc: Mapping[str, Any]) -> Document:
    """A copy of ``doc`` without its ``_etag``, after checking its id and partition field."""
    field = partition_field(container)
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        raise ValueError(f"{container} document needs a non-empty string id")
    if doc.get(field) != partition:
        raise ValueError(
            f"{container} document {doc['id']!r} has {field}={doc.get(field)!r}, "
            f"expected the partition {partition!r}"
        )
    return {k: v for k, v in doc.items() if k != ETAG}


def check_equals(equals: Mapping[str, Any]) -> None:
    """Query filters are plain top-level fields compared with scalars (names are never quoted)."""
    for name, value in equals.items():
        if not _FIELD_NAME.fullmatch(name):
            raise ValueError(f"query field {name!r} is not a plain field name")
        if not isinstance(value, _QUERY_VALUE_TYPES):
            kind = type(value).__name__
            raise TypeError(f"query value for {name!r} must be a scalar, not {kind}")
