"""Store round trips per saga step: wrap the app's indexed activities so each files its store
calls (on a ``CountingStore``) under its own name while it runs on the calling thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from tools.bench.counting import CountingStore
from tools.bench.workload import ROOT


@contextmanager
def attributing(store: CountingStore) -> Iterator[None]:
    """While the block runs, the app's indexed activities (the index a dev host started in this
    process uses) file their store calls under their names."""
    from devhost.functions.app_index import build_index, load_app

    activities = build_index(load_app("function_app:app", ROOT)).activities
    originals = dict(activities)
    for key, indexed in originals.items():
        name = indexed.trigger.get("activity") or indexed.name
        activities[key] = replace(indexed, user_function=_wrap(store, name, indexed.user_function))
    try:
        yield
    finally:
        activities.update(originals)


def _wrap(store: CountingStore, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def attributed(**kwargs: Any) -> Any:
        store.count_run(name)
        store.current.step = name
        try:
            return function(**kwargs)
        finally:
            store.current.step = None

    return attributed
