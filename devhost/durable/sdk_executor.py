"""A cheaper TaskOrchestrationExecutor for the Durable SDK's replay. The SDK builds a fresh
``namedtuple`` class inside every ``TaskOrchestrationExecutor()``, that is once per episode, and
making a namedtuple class (it compiles source) was a tenth of an episode's CPU. The host gives
that module a ``namedtuple`` that returns the class built the first time for the same name and
fields: the executor's mapping holds equal values of an equal class, so replay is unchanged."""

from __future__ import annotations

import collections
import functools
import sys
from typing import Any

_SDK_MODULE = "azure.durable_functions.models.TaskOrchestrationExecutor"


def cached_namedtuple(typename: str, field_names: Any, **options: Any) -> Any:
    """``collections.namedtuple(typename, field_names)``, built once per name and fields (other
    calls are passed through)."""
    if options or not isinstance(field_names, str | tuple):
        return collections.namedtuple(typename, field_names, **options)
    return _built(typename, field_names)


@functools.cache
def _built(typename: str, field_names: str | tuple[str, ...]) -> Any:
    return collections.namedtuple(typename, field_names)


def install() -> None:
    """Make the SDK's executor module use the cached namedtuple (idempotent)."""
    import azure.durable_functions  # noqa: F401  (loads the module patched below)

    module = sys.modules[_SDK_MODULE]
    if getattr(module, "namedtuple", None) is collections.namedtuple:
        setattr(module, "namedtuple", cached_namedtuple)  # noqa: B010  (a module global)
