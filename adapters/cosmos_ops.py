"""The port's batch operations and patches in the azure-cosmos SDK's own forms: batch operation
tuples for ``execute_item_batch``, patch operations and the filter predicate for ``patch_item``.

Cosmos takes no parameters in a filter predicate, so its text is built here from a ``Condition``
that ``adapters.documents.check_patch`` has already checked: plain field names, an operator from a
fixed set, and an int or a plain word (no quote, backslash or space) as the value.
"""

from __future__ import annotations

from typing import Any

from adapters.documents import check_patch, to_write
from saga.operations import Condition, Create, Delete, Operation, Patch, Read, Replace, Upsert

BatchOperation = tuple[str, tuple[Any, ...], dict[str, Any]]


def batch_operation(container: str, partition: str, op: Operation) -> BatchOperation:
    """One ``execute_item_batch`` operation (a fresh kwargs dict: the SDK pops from it)."""
    if isinstance(op, Create):
        return ("create", (to_write(container, partition, op.doc),), {})
    if isinstance(op, Read):
        return ("read", (op.doc_id,), {})
    if isinstance(op, Replace):
        body = to_write(container, partition, op.doc)
        return ("replace", (body["id"], body), {"if_match_etag": op.etag} if op.etag else {})
    if isinstance(op, Upsert):
        return ("upsert", (to_write(container, partition, op.doc),), {})
    if isinstance(op, Delete):
        return ("delete", (op.doc_id,), {})
    check_patch(container, op)
    condition = predicate(op)
    options = {} if condition is None else {"filter_predicate": condition}
    return ("patch", (op.doc_id, cosmos_patch(op)), options)


def cosmos_patch(patch: Patch) -> list[dict[str, Any]]:
    """``incr`` and ``set`` operations on top-level paths."""
    steps = [{"op": "incr", "path": f"/{name}", "value": n} for name, n in patch.incr.items()]
    return steps + [{"op": "set", "path": f"/{k}", "value": v} for k, v in patch.assign.items()]


def predicate(patch: Patch) -> str | None:
    """``from c where c.f >= 3 AND c.g = 'word'``, or None when the patch is unconditional."""
    if not patch.where:
        return None
    return "from c where " + " AND ".join(_test(test) for test in patch.where)


def _test(test: Condition) -> str:
    value = str(test.value) if isinstance(test.value, int) else f"'{test.value}'"
    return f"c.{test.field} {test.op} {value}"
