"""Closed-loop load: ``concurrency`` clients each start a saga, wait for it to end, and start the
next, until ``n`` have run. Latency is start-to-terminal per saga; CPU is the whole process's
(every thread), read around the timed loop only."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int], None]  # called with how many sagas have finished so far


@dataclass
class Run:
    """What one timed loop measured."""

    latencies_s: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0
    cpu_s: float = 0.0
    store_calls: int = 0

    def record(self, started: float, status: str) -> int:
        self.latencies_s.append(time.perf_counter() - started)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        return len(self.latencies_s)

    def to_dict(self) -> dict[str, Any]:
        return {
            "latencies_s": self.latencies_s,
            "statuses": self.statuses,
            "wall_s": self.wall_s,
            "cpu_s": self.cpu_s,
            "store_calls": self.store_calls,
        }


class _Clock:
    """Times the loop: wall and process CPU from ``__enter__`` to ``__exit__``."""

    def __init__(self, run: Run) -> None:
        self.run = run

    def __enter__(self) -> None:
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc_info: object) -> None:
        self.run.wall_s = time.perf_counter() - self._wall
        self.run.cpu_s = time.process_time() - self._cpu


def in_threads(n: int, concurrency: int, one: Callable[[int], str], progress: Progress) -> Run:
    """Run ``one(number) -> status`` for numbers 0..n-1 from ``concurrency`` threads."""
    run, lock, numbers = Run(), threading.Lock(), iter(range(n))

    def client() -> None:
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            started = time.perf_counter()
            status = one(number)
            with lock:
                progress(run.record(started, status))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    with _Clock(run):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return run


async def in_tasks(
    n: int, concurrency: int, one: Callable[[int], Awaitable[str]], progress: Progress
) -> Run:
    """The same on the running event loop, with ``concurrency`` tasks."""
    run, numbers = Run(), iter(range(n))

    async def client() -> None:
        for number in numbers:  # shared: each number is taken by one client
            started = time.perf_counter()
            status = await one(number)
            progress(run.record(started, status))

    with _Clock(run):
        await asyncio.gather(*(client() for _ in range(concurrency)))
    return run
