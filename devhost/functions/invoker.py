"""Invoke an indexed function the way the worker does: every binding by keyword, durable client
bindings filled in, ``func.Out`` holders for output bindings, a ``context`` if declared; sync
functions in the thread pool, async ones awaited on the loop."""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devhost.functions.app_index import FunctionIndex, IndexedFunction
from devhost.functions.invocation_context import InvocationContext, OutValue

# Receives what a function set() on an output binding of that type: (function, binding, value).
OutputSink = Callable[[IndexedFunction, dict[str, Any], Any], Awaitable[None]]
# Receives what a function returned, or the exception it raised (value, error); must not raise.
Settle = Callable[[Any, Exception | None], Any]


@dataclass(frozen=True)
class _Plan:
    is_async: bool
    wants_context: bool
    client_params: tuple[str, ...]
    outputs: tuple[dict[str, Any], ...]


class FunctionInvoker:
    def __init__(self, index: FunctionIndex, pool: Executor, app_dir: Path) -> None:
        self._index = index
        self._pool = pool
        self._app_dir = str(app_dir)
        self._plans = {name: _plan(f) for name, f in index.functions.items()}
        self._sinks: dict[str, OutputSink] = {}
        self.client_binding = ""  # durable client binding JSON, set once the port is known

    def register_output_sink(self, binding_type: str, sink: OutputSink) -> None:
        """Route values set on ``binding_type`` output bindings (e.g. "eventHub") to ``sink``."""
        self._sinks[binding_type] = sink

    def resolve(self, function: str | IndexedFunction | Any) -> IndexedFunction:
        """An indexed function from its name, itself, or an azure.functions Function."""
        if isinstance(function, IndexedFunction):
            return function
        name = function if isinstance(function, str) else function.get_function_name()
        return self._index.functions[name]

    async def invoke(
        self,
        function: str | IndexedFunction | Any,
        kwargs: dict[str, Any],
        settle: Settle | None = None,
    ) -> Any:
        """Call the function with ``kwargs`` (the trigger and anything the caller supplies) plus
        the bindings the host fills in; returns what the function returned. With ``settle``,
        returns ``settle(value, error)`` instead, called as soon as the call is over: in the
        worker thread that ran a sync function without output bindings, before that thread takes
        other work (so what settle records does not wait for the loop); on the loop otherwise."""
        indexed = self.resolve(function)
        plan = self._plans[indexed.name]
        args, outs = self._arguments(indexed, plan, kwargs)
        if settle is not None and not plan.is_async and not plan.outputs:
            call = functools.partial(indexed.user_function, **args)
            return await asyncio.get_running_loop().run_in_executor(
                self._pool, _settled, call, settle
            )
        if settle is None:
            return await self._call(indexed, plan, args, outs)
        try:
            value = await self._call(indexed, plan, args, outs)
        except Exception as error:
            return settle(None, error)
        return settle(value, None)

    def _arguments(
        self, indexed: IndexedFunction, plan: _Plan, kwargs: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, OutValue]]:
        """Every keyword argument of the call, and the output holders among them."""
        args = dict(kwargs)
        for name in plan.client_params:
            args.setdefault(name, self.client_binding)
        outs = {b["name"]: OutValue() for b in plan.outputs if b["name"] not in args}
        args.update(outs)
        if plan.wants_context:
            args.setdefault("context", InvocationContext(indexed.name, self._app_dir))
        return args, outs

    async def _call(
        self, indexed: IndexedFunction, plan: _Plan, args: dict[str, Any], outs: dict[str, OutValue]
    ) -> Any:
        if plan.is_async:
            result = await indexed.user_function(**args)
        else:
            call = functools.partial(indexed.user_function, **args)
            result = await asyncio.get_running_loop().run_in_executor(self._pool, call)
        if inspect.isawaitable(result):
            result = await result
        for binding in plan.outputs:
            if binding["name"] in outs and outs[binding["name"]].get() is not None:
                await self._sink(indexed, binding)(indexed, binding, outs[binding["name"]].get())
        return result

    async def call_with_context(self, indexed: IndexedFunction, context: Any) -> Any:
        """Call a durable trigger's SDK wrapper, which takes its one context argument by
        position (the entity handler), in the thread pool; returns its answer."""
        call = functools.partial(indexed.user_function, context)
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def _sink(self, indexed: IndexedFunction, binding: dict[str, Any]) -> OutputSink:
        sink = self._sinks.get(binding["type"])
        if sink is None:
            raise RuntimeError(
                f"function {indexed.name!r}: no handler for output binding {binding['type']!r}"
            )
        return sink


def _settled(call: Callable[[], Any], settle: Settle) -> Any:
    """In the worker thread: the call, then settle with its outcome."""
    try:
        value = call()
    except Exception as error:
        return settle(None, error)
    return settle(value, None)


def _plan(indexed: IndexedFunction) -> _Plan:
    binding_names = {b["name"] for b in indexed.bindings}
    parameters = inspect.signature(indexed.user_function).parameters
    return _Plan(
        is_async=inspect.iscoroutinefunction(indexed.user_function),
        wants_context="context" in parameters and "context" not in binding_names,
        client_params=tuple(b["name"] for b in indexed.bindings if b["type"] == "durableClient"),
        outputs=tuple(
            b
            for b in indexed.bindings
            if b.get("direction") == "OUT" and b["name"] != "$return" and b["type"] != "http"
        ),
    )
