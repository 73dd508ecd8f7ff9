"""The SDK's executor with the host's cached namedtuple: the same class for every executor, and
the same completion mapping the SDK builds."""

from __future__ import annotations

import collections

from devhost.durable import sdk_executor


def test_every_executor_shares_one_payload_class_with_the_sdks_fields() -> None:
    sdk_executor.install()
    from azure.durable_functions.models.TaskOrchestrationExecutor import (
        TaskOrchestrationExecutor,
    )

    first, second = TaskOrchestrationExecutor(), TaskOrchestrationExecutor()
    (a, *_), (b, *_) = (list(e.event_to_SetTaskValuePayload.values()) for e in (first, second))

    assert type(a) is type(b)
    assert type(a)._fields == ("is_success", "task_id_key")
    assert a == (True, "TaskScheduledId")


def test_other_namedtuple_calls_are_passed_through() -> None:
    with_defaults = sdk_executor.cached_namedtuple("P", ["x", "y"], defaults=[0])

    assert with_defaults(1) == (1, 0)
    assert sdk_executor.cached_namedtuple("Q", ("x",)) is sdk_executor.cached_namedtuple(
        "Q", ("x",)
    )
    assert sdk_executor.cached_namedtuple("Q", ("x",)) is not collections.namedtuple("Q", ("x",))
