"""Checks both document stores apply before touching storage, so SQLite and Cosmos reject the same
mistakes: unknown containers, documents outside their partition, unsafe query field names, patches
and predicates outside their small language; and that language's meaning, for the stores that
evaluate it themselves (SQLite, the test fakes)."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from saga.containers import PARTITION_FIELDS
from saga.operations import MAX_BATCH_OPERATIONS, Condition, Operation, Patch
from saga.ports import Document

ETAG = "_etag"
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A predicate's string values are inlined into Cosmos's filter text (it takes no parameters), so
# only plain words are allowed: no quote, backslash or space can reach it.
_WORD = re.compile(r"[A-Za-z0-9_.:@-]{0,128}")
_QUERY_VALUE_TYPES = (str, int, float, bool)
_MAX_PATCH_FIELDS = 10
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


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


def check_patch(container: str, patch: Patch) -> None:
    """A patch changes at most 10 plain fields (Cosmos's limit), never the id, the partition field
    or store metadata; its predicate compares plain fields with an int or a plain word."""
    changed = [*patch.incr, *patch.assign]
    if not changed or len(changed) > _MAX_PATCH_FIELDS:
        raise ValueError(f"a patch changes 1 to {_MAX_PATCH_FIELDS} fields, not {len(changed)}")
    for name in changed:
        _check_field(name)
        if name in ("id", partition_field(container)) or name.startswith("_"):
            raise ValueError(f"a patch cannot change {name!r}")
    for name, step in patch.incr.items():
        if not _is_int(step):
            raise TypeError(f"incr of {name!r} must be an int, not {type(step).__name__}")
    for test in patch.where:
        _check_field(test.field)
        if test.op not in _OPERATORS:
            raise ValueError(f"predicate operator {test.op!r} is not one of {sorted(_OPERATORS)}")
        if not (_is_int(test.value) or _is_word(test.value)):
            raise ValueError(f"predicate value for {test.field!r} must be an int or a plain word")


def check_batch(operations: Sequence[Operation]) -> None:
    """A batch holds 1 to 100 operations (Cosmos's limit)."""
    if not 1 <= len(operations) <= MAX_BATCH_OPERATIONS:
        count = len(operations)
        raise ValueError(f"a batch takes 1 to {MAX_BATCH_OPERATIONS} operations, not {count}")


def satisfies(doc: Mapping[str, Any], where: Sequence[Condition]) -> bool:
    """Every test holds, as Cosmos evaluates it: a missing field or another JSON type is false."""
    return all(_holds(doc.get(test.field), test) for test in where)


def patched(doc: Mapping[str, Any], patch: Patch) -> Document:
    """``doc`` with the patch applied (``incr`` of a missing field sets it), without ``_etag``."""
    body = {k: v for k, v in doc.items() if k != ETAG}
    for name, step in patch.incr.items():
        current = body.get(name, 0)
        if not _is_int(current):
            raise ValueError(f"cannot increment the non-integer field {name!r}")
        body[name] = current + step
    body.update(patch.assign)
    return body


def _holds(found: Any, test: Condition) -> bool:
    same_type = (_is_int(found) and _is_int(test.value)) or (
        isinstance(found, str) and isinstance(test.value, str)
    )
    return same_type and bool(_OPERATORS[test.op](found, test.value))


def _check_field(name: str) -> None:
    if not _FIELD_NAME.fullmatch(name):
        raise ValueError(f"field {name!r} is not a plain field name")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_word(value: object) -> bool:
    return isinstance(value, str) and _WORD.fullmatch(value) is not None
