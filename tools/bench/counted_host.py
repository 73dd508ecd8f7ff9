"""``python tools/bench/counted_host.py <devhost args>``, run from an app tree: that tree's
``python -m devhost``, with the app's store round trips counted per activity (and on Cosmos the
SDK's HTTP requests), written as JSON to ``$BENCH_COUNTS`` when the host stops.

Run as a script so that it imports only the tree it is started in: the hot-SKU benchmark points
it at another version of the app (the "before" of a before/after run)."""

from __future__ import annotations

import functools
import json
import os
import runpy
import sys
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

sys.path[0] = os.getcwd()  # the app tree, not this script's folder

calls: Counter[str] = Counter()  # store calls per activity
runs: Counter[str] = Counter()  # activity runs
http: Counter[str] = Counter()  # Cosmos SDK HTTP responses per activity
_lock = threading.Lock()
_step = threading.local()


def _count(counter: Counter[str]) -> None:
    name = getattr(_step, "name", None)
    if name is not None:  # seeding and status reads happen outside any activity
        with _lock:
            counter[name] += 1


class CountedStore:
    """Any version's store: each method call made while an activity runs is one round trip."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def counted(*args: Any, **kwargs: Any) -> Any:
            _count(calls)
            return value(*args, **kwargs)

        return counted


def _attributed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)  # the host reads the signature (a context parameter)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            runs[name] += 1
        _step.name = name
        try:
            return function(*args, **kwargs)
        finally:
            _step.name = None

    return run


def _install() -> None:
    from azure.functions.decorators.core import Trigger
    from azure.functions.decorators.function_app import Function

    import adapters.store_factory as factory

    build = factory.build_store
    factory.build_store = lambda settings: CountedStore(build(settings))
    user_function = Function.get_user_function

    def counted_user_function(self: Function) -> Callable[..., Any]:
        function = user_function(self)
        trigger: Trigger | None = self.get_trigger()
        if trigger is None or trigger.get_binding_name() != "activityTrigger":
            return function
        return _attributed(self.get_function_name() or function.__name__, function)

    Function.get_user_function = counted_user_function  # type: ignore[method-assign]
    _count_cosmos_requests()


def _count_cosmos_requests() -> None:
    from azure.cosmos import CosmosClient

    init = CosmosClient.__init__

    def counted_init(self: CosmosClient, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("raw_response_hook", lambda _response: _count(http))
        init(self, *args, **kwargs)

    CosmosClient.__init__ = counted_init  # type: ignore[method-assign]


def main() -> None:
    _install()
    import composition

    # Built (and seeded) now, outside any activity: the first step's figures then hold its own
    # round trips only.
    composition.get_store()
    sys.argv = ["devhost", *sys.argv[1:]]
    try:
        runpy.run_module("devhost", run_name="__main__", alter_sys=True)
    finally:
        with _lock:
            counts = {"calls": dict(calls), "runs": dict(runs), "http": dict(http)}
        with open(os.environ["BENCH_COUNTS"], "w") as out:
            json.dump(counts, out)


if __name__ == "__main__":
    main()
