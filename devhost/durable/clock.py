"""The host's clock: real time, or virtual time that jumps to the next due sleeper when the host
is idle; jumps to durable timers are paced (a bounded number per wall-clock second), so an
eternal orchestration on a timer does not spin at CPU speed. Components report pending work
with ``hold()``/``release()`` (or ``busy()``); all calls happen on the host's event loop.
Installed virtual time is the whole process's wall clock, so the hosted app reads the same time
as the host without knowing which clock it runs on."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

# Loop turns the clock waits, while nothing is busy, before it jumps: work that is handed between
# tasks (a woken sleeper marking an instance dirty) needs a turn or two to show up as busy.
SETTLE_TURNS = 3
# Virtual time jumps to durable timers at most JUMP_BURST times at once, then JUMPS_PER_SECOND per
# wall second: a test's few timers (a deadline, a monitor's polls) still fire at once, while an
# eternal orchestration on a timer runs a bounded number of episodes a second instead of
# spinning. Timer triggers are not paced: tests drive watchdogs through many ticks at once.
JUMP_BURST = 100
JUMPS_PER_SECOND = 20


class JumpPacer:
    """A token bucket of jumps; ``delay()`` is 0 (and takes a token) or how long to wait. It
    reads the monotonic clock, which installed virtual time leaves real."""

    def __init__(
        self,
        burst: int = JUMP_BURST,
        rate: float = JUMPS_PER_SECOND,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._burst, self._rate, self._now = burst, rate, now
        self._tokens, self._last = float(burst), now()

    def delay(self) -> float:
        moment = self._now()
        self._tokens = min(self._burst, self._tokens + (moment - self._last) * self._rate)
        self._last = moment
        if self._tokens >= 1:
            self._tokens -= 1
            return 0.0
        return (1 - self._tokens) / self._rate


class Clock:
    """Real time. ``busy`` bookkeeping is kept so components need not know which clock they have."""

    virtual = False

    def __init__(self) -> None:
        self._busy = 0

    def now(self) -> datetime:
        return datetime.now(UTC)

    def install(self) -> None:
        """Real time is the process's own clock already."""

    def uninstall(self) -> None:
        """Nothing was installed."""

    async def sleep_until(self, when: datetime, paced: bool = False) -> None:
        """Until ``when``; ``paced`` sleepers (durable timers) wake at the pacer's rate under
        virtual time."""
        delay = (when - self.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)

    def hold(self) -> None:
        """Count one piece of pending work: virtual time may not jump until it is released."""
        self._busy += 1

    def release(self) -> None:
        self._busy -= 1

    @property
    def busy_count(self) -> int:
        return self._busy

    @contextmanager
    def busy(self) -> Iterator[None]:
        self.hold()
        try:
            yield
        finally:
            self.release()


class VirtualClock(Clock):
    """Time stands still while work is pending; when every component is idle it jumps to the
    earliest sleeper's wake-up time and wakes it (holding one busy count for it)."""

    virtual = True

    def __init__(self, start: datetime | None = None) -> None:
        super().__init__()
        self._now = start or datetime.now(UTC)
        # (wake-up time, order, future, paced)
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None], bool]] = []
        self._order = itertools.count()
        self._check_scheduled = False
        self._pacer = JumpPacer()
        self._travel: Any = None  # time_machine.travel while installed
        self._coordinates: Any = None

    def now(self) -> datetime:
        return self._now

    def install(self) -> None:
        """Make this clock the process's wall clock: ``datetime.now()``, ``time.time()`` and the
        like report it (through time-machine) until ``uninstall()``. Monotonic clocks (asyncio,
        timeouts) keep real time. One virtual clock per process at a time."""
        import time_machine

        self._travel = time_machine.travel(self._now, tick=False)
        self._coordinates = self._travel.start()

    def uninstall(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = self._coordinates = None

    async def sleep_until(self, when: datetime, paced: bool = False) -> None:
        if when <= self._now:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (when, next(self._order), future, paced))
        self._schedule_check()
        try:
            await future
        finally:
            if future.done() and not future.cancelled():
                # The wake-up held a busy count; give the sleeper one turn to register its work.
                asyncio.get_running_loop().call_soon(self.release)

    def release(self) -> None:
        super().release()
        if self._busy == 0:
            self._schedule_check()

    def _schedule_check(self) -> None:
        if not self._check_scheduled:
            self._check_scheduled = True
            asyncio.get_running_loop().call_soon(self._check, SETTLE_TURNS)

    def _check(self, turns_left: int) -> None:
        while self._sleepers and self._sleepers[0][2].cancelled():
            heapq.heappop(self._sleepers)
        if self._busy > 0 or not self._sleepers:
            self._check_scheduled = False  # the next release() or sleeper schedules a new check
            return
        if turns_left > 0:
            asyncio.get_running_loop().call_soon(self._check, turns_left - 1)
            return
        when, _, _, paced = self._sleepers[0]
        if paced and when > self._now and (wait := self._pacer.delay()) > 0:
            asyncio.get_running_loop().call_later(wait, self._check, SETTLE_TURNS)
            return
        self._check_scheduled = False
        self._now = max(self._now, self._sleepers[0][0])
        if self._coordinates is not None:
            self._coordinates.move_to(self._now)
        while self._sleepers and self._sleepers[0][0] <= self._now:
            future = heapq.heappop(self._sleepers)[2]
            if not future.cancelled():
                self.hold()
                future.set_result(None)


def make_clock(mode: str) -> Clock:
    """``"real"`` or ``"virtual"`` (the ``--time`` option)."""
    if mode not in ("real", "virtual"):
        raise ValueError(f"--time must be 'real' or 'virtual', not {mode!r}")
    return VirtualClock() if mode == "virtual" else Clock()
