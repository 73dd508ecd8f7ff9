"""Run one measurement in a child process of its own (spawned, so nothing is inherited): its
peak RSS and CPU are its own, and one engine's threads or caches cannot slow another's figures.
The child reports progress and its result back over a queue."""

from __future__ import annotations

import importlib
import multiprocessing
import queue
import resource
import time
import traceback
from collections.abc import Callable
from typing import Any

PROGRESS_INTERVAL_S = 0.1
JOIN_TIMEOUT_S = 30


class MeasurementFailed(RuntimeError):
    """The child raised or died; the message carries its traceback or exit code."""


def run_isolated(
    target: str, kwargs: dict[str, Any], on_progress: Callable[[int], None]
) -> dict[str, Any]:
    """Call ``module:function(progress=..., **kwargs)`` in a child; returns the dict it returns,
    with ``peak_rss_mb`` (the child's high-water mark) added."""
    context = multiprocessing.get_context("spawn")
    channel: Any = context.Queue()
    child = context.Process(target=_child, args=(target, kwargs, channel), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, value = channel.get(timeout=1)
            except queue.Empty:
                if not child.is_alive():
                    raise MeasurementFailed(f"{target} exited with code {child.exitcode}") from None
                continue
            if kind == "progress":
                on_progress(value)
            elif kind == "done":
                return dict(value)
            else:
                raise MeasurementFailed(f"{target} failed:\n{value}")
    finally:
        child.join(JOIN_TIMEOUT_S)
        if child.is_alive():
            child.kill()
            child.join()


def _child(target: str, kwargs: dict[str, Any], channel: Any) -> None:
    module, _, name = target.partition(":")
    last = [0.0]

    def progress(done: int) -> None:
        # Throttled: a message per saga would cost the measured process CPU of its own.
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_S:
            last[0] = now
            channel.put(("progress", done))

    try:
        function = getattr(importlib.import_module(module), name)
        result = function(progress=progress, **kwargs)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        channel.put(("done", result))
    except BaseException:
        channel.put(("error", traceback.format_exc()))
