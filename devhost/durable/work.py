"""Running an instance's work: activities (decoded and encoded as the worker does, spec 2.3;
failures in Azure's text, spec 6.6) and durable timers on the host clock. An activity's result is
committed where the activity ran, then comes back through ``deliver``; work for an execution that
has since ended is dropped there."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import traceback
from collections import Counter
from collections.abc import Callable, Coroutine
from typing import Any

from azure.functions import meta
from azure.functions.durable_functions import ActivityTriggerConverter

from devhost.durable import history
from devhost.durable.clock import Clock
from devhost.durable.episode.types import ActivityWork, TimerWork
from devhost.durable.history import Event
from devhost.durable.instance_state import Ready, failure_event
from devhost.functions.app_index import FunctionIndex
from devhost.functions.invoker import FunctionInvoker

log = logging.getLogger("devhost.activities")

# (instance id, execution id, ready event)
Deliver = Callable[[str, str, Ready], None]
# (instance id, pending key, execution id, completion event JSON): Store.record_completion
Record = Callable[[str, str, str, str], None]


class WorkRunner:
    def __init__(
        self,
        index: FunctionIndex,
        invoker: FunctionInvoker,
        clock: Clock,
        deliver: Deliver,
        record: Record,
    ) -> None:
        self._index = index
        self._invoker = invoker
        self._clock = clock
        self._deliver = deliver
        self._record = record
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: Counter[str] = Counter()  # activities running, per instance

    def start_activity(self, instance_id: str, execution_id: str, work: ActivityWork) -> None:
        self._clock.hold()  # released once the result is handed over: virtual time waits for it
        self._running[instance_id] += 1
        self._spawn(self._run_activity(instance_id, execution_id, work))

    def running(self, instance_id: str) -> int:
        """How many of the instance's activities are still running."""
        return self._running.get(instance_id, 0)

    def arm_timer(self, instance_id: str, execution_id: str, work: TimerWork) -> asyncio.Task[None]:
        return self._spawn(self._fire_timer(instance_id, execution_id, work))

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run_activity(self, instance_id: str, execution_id: str, work: ActivityWork) -> None:
        try:
            try:
                event = await self._activity_result(instance_id, execution_id, work)
            finally:
                self._running[instance_id] -= 1
                if not self._running[instance_id]:
                    del self._running[instance_id]
            self._deliver(instance_id, execution_id, Ready(f"a{work.task_id}", event))
        finally:
            self._clock.release()

    async def _activity_result(
        self, instance_id: str, execution_id: str, work: ActivityWork
    ) -> Event:
        function = self._index.activities.get(work.name)
        if function is None:
            reason = (
                f"The function '{work.name}' doesn't exist, is disabled, "
                "or is not an activity function."
            )
            return failure_event(history.TASK_FAILED, work.task_id, reason, self._clock.now())
        try:
            argument = ActivityTriggerConverter.decode(
                meta.Datum(work.input or "null", "json"), trigger_metadata=None
            )
        except Exception as error:
            return self._completion(instance_id, work, None, error)
        settle = functools.partial(self._settle, instance_id, execution_id, work)
        return await self._invoker.invoke(function, {function.trigger_param: argument}, settle)

    def _settle(
        self,
        instance_id: str,
        execution_id: str,
        work: ActivityWork,
        value: Any,
        error: Exception | None,
    ) -> Event:
        """Where the activity ran, right after it (see FunctionInvoker.invoke): its completion
        event, committed before it waits to be replayed, as Azure's queue holds it durably."""
        event = self._completion(instance_id, work, value, error)
        try:
            self._record(instance_id, f"a{work.task_id}", execution_id, json.dumps(event))
        except Exception:  # still delivered: only a crash before the next episode re-runs it
            log.exception("%s: the completion of %s was not recorded", instance_id, work.name)
        return event

    def _completion(
        self, instance_id: str, work: ActivityWork, value: Any, error: Exception | None
    ) -> Event:
        """TaskCompleted with the encoded value, or TaskFailed in Azure's text (spec 6.6)."""
        if error is None:
            try:
                result = ActivityTriggerConverter.encode(value, expected_type=None).value
            except Exception as encode_error:
                error = encode_error
            else:
                return history.event(
                    history.TASK_COMPLETED,
                    self._clock.now(),
                    TaskScheduledId=work.task_id,
                    Result=result,
                )
        message = f"{type(error).__name__}: {error}"
        log.warning("%s: activity %s failed: %s", instance_id, work.name, message)
        reason = f"Activity function '{work.name}' failed: {message}"
        trace = "".join(traceback.format_exception(error))
        return failure_event(history.TASK_FAILED, work.task_id, reason, self._clock.now(), trace)

    async def _fire_timer(self, instance_id: str, execution_id: str, work: TimerWork) -> None:
        await self._clock.sleep_until(history.parse_iso(work.fire_at), paced=True)
        fired = history.event(
            history.TIMER_FIRED, self._clock.now(), TimerId=work.task_id, FireAt=work.fire_at
        )
        self._deliver(instance_id, execution_id, Ready(f"t{work.task_id}", fired))
