"""Virtual time jumps to the next sleeper only while nothing is busy."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from devhost.durable.clock import JUMP_BURST, JUMPS_PER_SECOND, JumpPacer, VirtualClock
from devhost.testing.client import WEBHOOK, HostClient

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def test_an_idle_clock_jumps_to_the_earliest_sleeper_first() -> None:
    async def scenario() -> list[str]:
        clock, woke = VirtualClock(T0), []

        async def sleeper(name: str, hours: int) -> None:
            await clock.sleep_until(T0 + timedelta(hours=hours))
            woke.append(f"{name}@{(clock.now() - T0).total_seconds() / 3600:g}h")

        await asyncio.gather(sleeper("late", 5), sleeper("early", 1))
        return woke

    assert asyncio.run(scenario()) == ["early@1h", "late@5h"]


def test_a_busy_clock_does_not_jump_until_released() -> None:
    async def scenario() -> tuple[bool, bool]:
        clock = VirtualClock(T0)
        clock.hold()
        sleeper = asyncio.ensure_future(clock.sleep_until(T0 + timedelta(hours=1)))
        for _ in range(20):
            await asyncio.sleep(0)
        jumped_while_busy = sleeper.done()
        clock.release()
        await asyncio.wait_for(sleeper, 1)
        return jumped_while_busy, clock.now() == T0 + timedelta(hours=1)

    assert asyncio.run(scenario()) == (False, True)


def test_a_cancelled_sleeper_is_skipped() -> None:
    async def scenario() -> datetime:
        clock = VirtualClock(T0)
        cancelled = asyncio.ensure_future(clock.sleep_until(T0 + timedelta(hours=1)))
        await asyncio.sleep(0)
        cancelled.cancel()
        await clock.sleep_until(T0 + timedelta(hours=2))
        return clock.now()

    assert asyncio.run(scenario()) == T0 + timedelta(hours=2)


def test_installed_virtual_time_is_the_wall_clock_of_every_thread_until_uninstalled() -> None:
    async def scenario() -> tuple[datetime, datetime, datetime]:
        clock = VirtualClock(T0)
        clock.install()
        try:
            at_start = datetime.now(UTC)
            await clock.sleep_until(T0 + timedelta(hours=1))
            in_a_thread = await asyncio.to_thread(lambda: datetime.fromtimestamp(time.time(), UTC))
            return at_start, in_a_thread, datetime.now(UTC)
        finally:
            clock.uninstall()

    assert asyncio.run(scenario()) == (T0, T0 + timedelta(hours=1), T0 + timedelta(hours=1))
    assert datetime.now(UTC) > datetime(2026, 1, 1, tzinfo=UTC)  # real time again


def test_jumps_are_paced_after_a_burst() -> None:
    moment = [0.0]
    pacer = JumpPacer(burst=3, rate=2, now=lambda: moment[0])

    burst = [pacer.delay() for _ in range(3)]
    waits = pacer.delay()
    moment[0] = 0.5  # one more token has come in
    after_a_while = pacer.delay()

    assert (burst, waits, after_a_while) == ([0.0, 0.0, 0.0], 0.5, 0.0)


def test_an_eternal_orchestration_on_virtual_time_runs_a_bounded_number_of_timers_a_second(
    virtual_client: HostClient,
) -> None:
    started = time.monotonic()  # no timer ran before: every jump of the run is counted
    instance_id = virtual_client.start("eternal_ticker", 0)
    time.sleep(1.5)
    generation = virtual_client.status(instance_id)["input"]
    elapsed = time.monotonic() - started
    virtual_client.request("POST", f"{WEBHOOK}/instances/{instance_id}/terminate?reason=done")

    # It goes on, but no faster than the burst and the paced rate allow (one jump a generation).
    assert 10 <= generation <= JUMP_BURST + JUMPS_PER_SECOND * elapsed + 1
