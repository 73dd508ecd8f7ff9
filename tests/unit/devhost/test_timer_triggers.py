"""Timer triggers driven by a virtual clock: occurrences, run on startup, failures, indexing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import azure.functions as func
import pytest

from devhost.timer_triggers import TimerTriggers, find_timer_triggers

START = datetime(2024, 5, 15, 12, 0, 1, tzinfo=UTC)


class VirtualClock:
    """Virtual time that moves only when the test jumps it to the earliest pending wake-up."""

    def __init__(self) -> None:
        self.current = START
        self.wakeups: list[tuple[datetime, asyncio.Future[None]]] = []
        self.sleeping = asyncio.Event()
        self.busy = 0

    def now(self) -> datetime:
        return self.current

    async def sleep_until(self, when: datetime) -> None:
        future = asyncio.get_running_loop().create_future()
        self.wakeups.append((when, future))
        self.sleeping.set()
        await future

    def hold(self) -> None:
        self.busy += 1

    def release(self) -> None:
        self.busy -= 1

    async def jump(self) -> None:
        """Wait until every loop sleeps, then move to the earliest wake-up and wake it."""
        await self.sleeping.wait()
        self.sleeping.clear()
        when, future = min(self.wakeups, key=lambda wakeup: wakeup[0])
        self.wakeups.remove((when, future))
        self.current = when
        future.set_result(None)


async def invoke(function: Any, kwargs: dict[str, Any]) -> object:
    return function.get_user_function()(**kwargs)


def timer_app(handler: Callable[[func.TimerRequest], None], **options: Any) -> list[Any]:
    app = func.FunctionApp()
    app.timer_trigger(arg_name="timer", **options)(handler)
    return app.get_functions()


def run(
    functions: list[Any],
    scenario: Callable[[VirtualClock], Coroutine[Any, Any, None]],
    env: dict[str, str] | None = None,
) -> None:
    async def main() -> None:
        clock = VirtualClock()
        timers = TimerTriggers(find_timer_triggers(functions, env or {}), invoke, clock, clock)
        await timers.start()
        await scenario(clock)
        await clock.sleeping.wait()  # the last run has finished
        await timers.stop()
        assert clock.busy == 0

    asyncio.run(main())


async def three_jumps(clock: VirtualClock) -> None:
    for _ in range(3):
        await clock.jump()


def test_timer_fires_at_each_occurrence_under_virtual_time() -> None:
    fired: list[tuple[datetime, bool]] = []
    clock_holder: list[VirtualClock] = []

    def tick(timer: func.TimerRequest) -> None:
        fired.append((clock_holder[0].now(), timer.past_due))

    async def scenario(clock: VirtualClock) -> None:
        clock_holder.append(clock)
        await three_jumps(clock)

    run(timer_app(tick, schedule="0 */5 * * * *"), scenario)

    assert [(t.strftime("%H:%M:%S"), late) for t, late in fired] == [
        ("12:05:00", False),
        ("12:10:00", False),
        ("12:15:00", False),
    ]


def test_run_on_startup_fires_before_the_first_occurrence() -> None:
    fired: list[func.TimerRequest] = []

    def tick(timer: func.TimerRequest) -> None:
        fired.append(timer)

    async def scenario(clock: VirtualClock) -> None:
        await clock.sleeping.wait()

    run(timer_app(tick, schedule="0 0 * * * *", run_on_startup=True), scenario)

    assert len(fired) == 1
    assert isinstance(fired[0], func.TimerRequest)
    assert fired[0].schedule_status["Next"] == "2024-05-15T13:00:00+00:00"


def test_failing_timer_function_is_logged_and_keeps_its_schedule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[bool] = []

    def broken(timer: func.TimerRequest) -> None:
        calls.append(timer.past_due)
        raise RuntimeError("watchdog bug")

    with caplog.at_level(logging.ERROR, logger="devhost.timers"):
        run(timer_app(broken, schedule="*/10 * * * * *"), three_jumps)

    assert len(calls) == 3
    assert "timer function broken failed" in caplog.text
    assert "watchdog bug" in caplog.text


def test_schedule_setting_reference_is_resolved_from_the_environment() -> None:
    functions = timer_app(lambda timer: None, schedule="%WATCHDOG_SCHEDULE%")

    [trigger] = find_timer_triggers(functions, {"WATCHDOG_SCHEDULE": "0 */1 * * * *"})

    assert trigger.schedule.minutes == frozenset(range(60))
    assert trigger.param == "timer"


def test_bad_schedule_names_the_function() -> None:
    functions = timer_app(lambda timer: None, schedule="0 */5 * * *")

    with pytest.raises(ValueError, match="function '<lambda>': NCRONTAB needs 6 fields"):
        find_timer_triggers(functions, {})
