"""Timer triggers on the host's virtual clock: occurrences, run on startup, failures, indexing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from devhost.durable.clock import VirtualClock
from devhost.events import timer_triggers
from devhost.events.timer_triggers import TimerTriggers, find_timer_triggers
from devhost.functions.app_index import FunctionIndex, build_index
from devhost.functions.invoker import FunctionInvoker

START = datetime(2024, 5, 15, 12, 0, 1, tzinfo=UTC)
Handler = Callable[[func.TimerRequest], object]


def timer_app(handler: Handler, **options: Any) -> FunctionIndex:
    app = func.FunctionApp()
    app.timer_trigger(arg_name="timer", **options)(handler)
    return build_index(app)


class Runs:
    """What the handler saw; ``done`` is set once ``wanted`` runs happened."""

    def __init__(self, wanted: int) -> None:
        self.seen: list[Any] = []
        self.wanted = wanted
        self.done = asyncio.Event()

    def record(self, item: Any) -> None:
        self.seen.append(item)
        if len(self.seen) == self.wanted:
            self.done.set()


def run_until(
    index: FunctionIndex, runs: Runs, clock: VirtualClock, other_sleeper: datetime | None = None
) -> None:
    """Run the timers on ``clock`` until the handler has recorded the wanted runs, with another
    component (a durable timer, say) sleeping until ``other_sleeper``."""

    async def main() -> None:
        if other_sleeper is not None:
            sleeper = asyncio.create_task(clock.sleep_until(other_sleeper))
        with ThreadPoolExecutor(1) as pool:
            invoker = FunctionInvoker(index, pool, Path.cwd())
            timers = TimerTriggers(
                find_timer_triggers(index.functions.values(), {}), invoker.invoke, clock, clock
            )
            await timers.start()
            await runs.done.wait()
            await timers.stop()
        if other_sleeper is not None:
            await sleeper

    asyncio.run(main())


def test_timer_fires_at_each_occurrence_under_virtual_time() -> None:
    clock = VirtualClock(START)
    runs = Runs(3)

    async def tick(timer: func.TimerRequest) -> None:
        runs.record((clock.now().strftime("%H:%M:%S"), timer.past_due))

    run_until(timer_app(tick, schedule="0 */5 * * * *"), runs, clock)

    assert runs.seen[:3] == [
        ("12:05:00", False),
        ("12:10:00", False),
        ("12:15:00", False),
    ]


def test_virtual_time_jumps_to_a_far_sleeper_and_the_schedule_then_runs_once_past_due(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A pause long enough that the clock surely jumps during it, even on a loaded machine.
    monkeypatch.setattr(timer_triggers, "VIRTUAL_PACE_SECONDS", 0.3)
    clock = VirtualClock(START)
    runs = Runs(1)
    an_hour_later = START + timedelta(hours=1)

    async def every_30_seconds(timer: func.TimerRequest) -> None:
        runs.record((clock.now(), timer.past_due))

    run_until(timer_app(every_30_seconds, schedule="*/30 * * * * *"), runs, clock, an_hour_later)

    assert runs.seen == [(an_hour_later, True)]


def test_run_on_startup_fires_before_the_first_occurrence() -> None:
    clock = VirtualClock(START)
    runs = Runs(2)

    async def tick(timer: func.TimerRequest) -> None:
        runs.record((clock.now(), timer))

    run_until(timer_app(tick, schedule="0 0 * * * *", run_on_startup=True), runs, clock)

    (started, first), (hourly, _) = runs.seen[:2]
    assert (started, hourly) == (START, START.replace(hour=13, second=0))
    assert first.schedule_status["Next"] == "2024-05-15T13:00:00+00:00"


def test_failing_timer_function_is_logged_and_keeps_its_schedule(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs = Runs(3)

    async def broken(timer: func.TimerRequest) -> None:
        runs.record(timer.past_due)
        raise RuntimeError("watchdog bug")

    with caplog.at_level(logging.ERROR, logger="devhost.timers"):
        run_until(timer_app(broken, schedule="*/10 * * * * *"), runs, VirtualClock(START))

    assert runs.seen[:3] == [False, False, False]

    assert "timer function broken failed" in caplog.text
    assert "watchdog bug" in caplog.text


def test_schedule_setting_reference_is_resolved_from_the_environment() -> None:
    index = timer_app(lambda timer: None, schedule="%WATCHDOG_SCHEDULE%")

    [trigger] = find_timer_triggers(index.functions.values(), {"WATCHDOG_SCHEDULE": "0 * * * * *"})

    assert trigger.schedule.minutes == frozenset(range(60))
    assert trigger.param == "timer"


def test_function_with_a_bad_schedule_is_in_error_and_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    index = timer_app(lambda timer: None, schedule="0 */5 * * *")

    with caplog.at_level(logging.ERROR, logger="devhost"):
        assert find_timer_triggers(index.functions.values(), {}) == []

    assert "function '<lambda>': NCRONTAB needs 6 fields" in caplog.text
