"""Timer triggers: each timerTrigger function runs on its NCRONTAB schedule, one run at a time.

The host's clock does the waiting, so under virtual time the next occurrence is a wake-up the
clock may jump to, and a run holds the clock busy until it returns.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from azure.functions.timer import TimerRequest

from devhost.events.hubs import BusyCounter, Invoke
from devhost.events.ncrontab import Schedule, parse_schedule
from devhost.functions.app_index import IndexedFunction
from devhost.functions.app_settings import describe_triggers, resolve_app_settings

log = logging.getLogger("devhost.timers")

# A run that starts later than this after its occurrence is reported as past due.
PAST_DUE_AFTER = timedelta(seconds=1)
# Real pause before each wake-up on virtual time: a periodic timer is always the next sleeper, so
# without it an idle host would run the schedule flat out; during the pause the clock is free to
# jump straight to a later durable timer (the timer then runs once, past due).
VIRTUAL_PACE_SECONDS = 0.05


class Clock(Protocol):
    """What the timers need from the host's clock (real or virtual time)."""

    virtual: bool

    def now(self) -> datetime: ...

    async def sleep_until(self, when: datetime) -> None: ...


@dataclass(frozen=True)
class TimerTrigger:
    """One timerTrigger function with its parsed schedule."""

    function: IndexedFunction
    name: str
    param: str
    schedule: Schedule
    run_on_startup: bool


def find_timer_triggers(
    functions: Iterable[IndexedFunction],
    env: Mapping[str, str],
    errors: MutableMapping[str, str] | None = None,
) -> list[TimerTrigger]:
    """The timerTrigger functions among ``functions``; those in error (bad schedule, unset
    setting) left out, and recorded in ``errors``."""
    return describe_triggers(functions, "timerTrigger", partial(_describe, env=env), errors)


def _describe(function: IndexedFunction, env: Mapping[str, str]) -> TimerTrigger:
    where = f"function {function.name!r}"
    expression = resolve_app_settings(function.trigger["schedule"], env, where)
    try:
        schedule = parse_schedule(expression)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    run_on_startup = bool(function.trigger.get("runOnStartup"))
    return TimerTrigger(function, function.name, function.trigger_param, schedule, run_on_startup)


class TimerTriggers:
    """Runs every timer trigger on the host's loop until stopped."""

    def __init__(
        self, triggers: Sequence[TimerTrigger], invoke: Invoke, clock: Clock, busy: BusyCounter
    ) -> None:
        self._triggers = triggers
        self._invoke = invoke
        self._clock = clock
        self._busy = busy
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start one loop per timer trigger."""
        self._tasks = [asyncio.create_task(self._run(trigger)) for trigger in self._triggers]

    async def stop(self) -> None:
        """Cancel the loops (a run under way is cut short)."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _run(self, trigger: TimerTrigger) -> None:
        if trigger.run_on_startup:
            await self._fire(trigger, self._clock.now())
        due = trigger.schedule.next_after(self._clock.now())
        while True:
            if self._clock.virtual:
                await asyncio.sleep(VIRTUAL_PACE_SECONDS)
            await self._clock.sleep_until(due)
            await self._fire(trigger, due)
            # Occurrences missed while the run took longer are skipped, as in Azure.
            due = trigger.schedule.next_after(max(due, self._clock.now()))

    async def _fire(self, trigger: TimerTrigger, due: datetime) -> None:
        now = self._clock.now()
        request = TimerRequest(
            past_due=now - due > PAST_DUE_AFTER,
            schedule_status={
                "Last": due.isoformat(),
                "Next": trigger.schedule.next_after(now).isoformat(),
                "LastUpdated": now.isoformat(),
            },
            schedule={"AdjustForDST": True},
        )
        self._busy.hold()
        try:
            await self._invoke(trigger.function, {trigger.param: request})
        except Exception:
            log.exception("timer function %s failed", trigger.name)
        finally:
            self._busy.release()
