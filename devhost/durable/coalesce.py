"""When an instance's next episode runs. Each episode replays the whole history, so an instance
that replayed on every activity completion of a wide fan-out would cost O(items x history):
quadratic. While an instance still has activities running, its events wait (at most twice as
long as its last episode took) so that completions arriving meanwhile share one replay: replay
then takes at most about a third of the instance's time, whatever the width. An instance with
nothing else running (a sequential step, the last completion) replays at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from devhost.durable.clock import Clock

# Episodes faster than this are not worth waiting for: a small saga keeps its latency.
MIN_COALESCE_S = 0.002
# How long events wait, in episodes: longer waits replay less often but delay the instance more.
WAIT_PER_EPISODE = 2


class Coalescer:
    def __init__(
        self, clock: Clock, running: Callable[[str], int], mark_dirty: Callable[[str], None]
    ) -> None:
        self._clock = clock
        self._running = running  # activities of the instance still running
        self._mark_dirty = mark_dirty
        self._last_episode_s: dict[str, float] = {}
        self._waiting: dict[str, asyncio.TimerHandle] = {}

    def ready(self, instance_id: str) -> None:
        """An event was delivered to the instance: schedule its next episode."""
        last_episode_s = self._last_episode_s.get(instance_id, 0.0)
        if last_episode_s < MIN_COALESCE_S or not self._running(instance_id):
            self._stop_waiting(instance_id)
            self._mark_dirty(instance_id)
        elif instance_id not in self._waiting:
            self._clock.hold()  # the episode is due: virtual time must not jump past it
            loop = asyncio.get_running_loop()
            wait_s = last_episode_s * WAIT_PER_EPISODE
            self._waiting[instance_id] = loop.call_later(wait_s, self._due, instance_id)

    @contextmanager
    def timing(self, instance_id: str) -> Iterator[None]:
        """Wrap an episode of the instance: how long it took sets how long the next may wait."""
        started = time.perf_counter()
        yield
        self._last_episode_s[instance_id] = time.perf_counter() - started

    def forget(self, instance_id: str) -> None:
        """The instance left the engine (finished, replaced, purged): its events went with it."""
        self._last_episode_s.pop(instance_id, None)
        self._stop_waiting(instance_id)

    def _due(self, instance_id: str) -> None:
        del self._waiting[instance_id]
        self._mark_dirty(instance_id)
        self._clock.release()

    def _stop_waiting(self, instance_id: str) -> None:
        handle = self._waiting.pop(instance_id, None)
        if handle is not None:
            handle.cancel()
            self._clock.release()
