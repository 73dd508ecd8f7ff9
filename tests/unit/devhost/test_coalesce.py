"""Replays coalesce while an instance still has activities running, never longer than its last
episode took, and never for an instance with nothing else running."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from devhost.durable.clock import Clock
from devhost.durable.coalesce import Coalescer
from devhost.testing.client import HostClient

SLOW_EPISODE_S = 0.05


class Scene:
    """A coalescer with a settable number of running activities, recording each mark."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.running = 0
        self.marks: list[str] = []
        self.marked = asyncio.Event()
        self.coalescer = Coalescer(self.clock, lambda _id: self.running, self.mark)

    def mark(self, instance_id: str) -> None:
        self.marks.append(instance_id)
        self.marked.set()

    def after_episode(self, seconds: float) -> None:
        started = time.perf_counter()
        with self.coalescer.timing("i1"):
            while time.perf_counter() - started < seconds:
                pass


def scenario(body: Callable[[Scene], Awaitable[None]]) -> None:
    async def run() -> None:
        await body(Scene())

    asyncio.run(run())


def test_an_instance_with_nothing_else_running_replays_at_once() -> None:
    async def body(scene: Scene) -> None:
        scene.after_episode(SLOW_EPISODE_S)
        scene.coalescer.ready("i1")
        assert scene.marks == ["i1"]

    scenario(body)


def test_after_a_fast_episode_events_do_not_wait() -> None:
    async def body(scene: Scene) -> None:
        scene.running = 3
        scene.after_episode(0)
        scene.coalescer.ready("i1")
        assert scene.marks == ["i1"]

    scenario(body)


def test_events_arriving_while_activities_run_share_one_replay_after_the_wait() -> None:
    async def body(scene: Scene) -> None:
        scene.running = 3
        scene.after_episode(SLOW_EPISODE_S)
        scene.coalescer.ready("i1")
        scene.coalescer.ready("i1")
        assert scene.marks == []
        assert scene.clock.busy_count == 1  # virtual time may not jump past the due replay
        await asyncio.wait_for(scene.marked.wait(), 5)
        assert scene.marks == ["i1"]
        assert scene.clock.busy_count == 0

    scenario(body)


def test_the_last_completion_replays_at_once_and_ends_the_wait() -> None:
    async def body(scene: Scene) -> None:
        scene.running = 1
        scene.after_episode(SLOW_EPISODE_S)
        scene.coalescer.ready("i1")
        scene.running = 0
        scene.coalescer.ready("i1")
        assert scene.marks == ["i1"]
        assert scene.clock.busy_count == 0

    scenario(body)


def test_forgetting_an_instance_cancels_its_wait() -> None:
    async def body(scene: Scene) -> None:
        scene.running = 2
        scene.after_episode(SLOW_EPISODE_S)
        scene.coalescer.ready("i1")
        scene.coalescer.forget("i1")
        assert scene.clock.busy_count == 0
        scene.coalescer.ready("i1")  # a new execution under the same id starts afresh
        assert scene.marks == ["i1"]

    scenario(body)


def test_a_wide_fan_out_returns_every_result(client: HostClient) -> None:
    instance_id = client.start("fan_out", list(range(300)))
    status = client.wait(instance_id)
    assert status["runtimeStatus"] == "Completed"
    assert status["output"] == sum(2 * n for n in range(300))
