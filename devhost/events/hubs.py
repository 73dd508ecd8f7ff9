"""Local Event Hubs: delivers the event log to every eventHubTrigger function as Azure does.

One sequential consumer per (function, partition) reads batches after its consumer group's
checkpoint, invokes the function, and checkpoints after the batch *even when the function raised*
(Azure does the same); a host that dies before the checkpoint redelivers the batch on restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol

from devhost.events.bindings import EventHubTrigger, output_bodies, to_events
from devhost.events.deliveries import DeliveryLog, code_of
from devhost.events.log import EventLog, StoredEvent
from devhost.functions.app_index import IndexedFunction
from devhost.functions.app_settings import resolve_app_settings

log = logging.getLogger("devhost.events.hubs")

DEFAULT_BATCH_SIZE = 10

# (function, keyword arguments) -> return value; the host's invoker fills in anything else.
Invoke = Callable[[Any, dict[str, Any]], Awaitable[object]]


class BusyCounter(Protocol):
    """The clock's counter of pending work: virtual time may not jump while it is above zero."""

    def hold(self) -> None: ...

    def release(self) -> None: ...


class _Consumer:
    """One function's sequential reader of one partition."""

    def __init__(self, trigger: EventHubTrigger, partition: int) -> None:
        self.trigger = trigger
        self.partition = partition
        self.wake = asyncio.Event()
        self.holds_busy = False


class LocalEventHubs:
    """The event log plus its consumers; ``publish`` and the consumers run on the host's loop."""

    def __init__(
        self,
        event_log: EventLog,
        triggers: Sequence[EventHubTrigger],
        invoke: Invoke,
        busy: BusyCounter,
        env: Mapping[str, str],
        batch_size: int = DEFAULT_BATCH_SIZE,
        deliveries: DeliveryLog | None = None,
    ) -> None:
        self.event_log = event_log
        self.deliveries = deliveries
        self._env = env
        self._invoke = invoke
        self._busy = busy
        self._batch_size = batch_size
        self._consumers = [
            _Consumer(trigger, partition)
            for trigger in triggers
            for partition in range(event_log.partitions)
        ]
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start every consumer; each first delivers whatever its checkpoint has not covered."""
        for consumer in self._consumers:
            self._mark_pending(consumer)
            self._tasks.append(asyncio.create_task(self._consume(consumer)))

    async def stop(self) -> None:
        """Cancel the consumers; a batch cut short is not checkpointed, so it comes again."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def publish(self, hub: str, events: Sequence[tuple[str | None, str]]) -> list[StoredEvent]:
        """Durably append ``(partition_key, body)`` pairs, then wake the consumers they concern."""
        stored = self.event_log.append(hub, events)
        if self.deliveries is not None:
            self.deliveries.published(hub, stored)
        partitions = {event.partition for event in stored}
        for consumer in self._consumers:
            if consumer.trigger.hub == hub and consumer.partition in partitions:
                self._mark_pending(consumer)
        return stored

    def _mark_pending(self, consumer: _Consumer) -> None:
        # Held from the append until the consumer finds nothing left, so the clock cannot jump
        # between an event's arrival and its delivery.
        if not consumer.holds_busy:
            consumer.holds_busy = True
            self._busy.hold()
        consumer.wake.set()

    async def _consume(self, consumer: _Consumer) -> None:
        trigger, partition = consumer.trigger, consumer.partition
        try:
            after = self.event_log.checkpoint(trigger.hub, trigger.consumer_group, partition)
            while True:
                consumer.wake.clear()
                batch = self.event_log.read(trigger.hub, partition, after, self._batch_size)
                if not batch:
                    self._release(consumer)
                    await consumer.wake.wait()
                    continue
                await self._deliver(trigger, batch)
                after = batch[-1].sequence_number
                self.event_log.set_checkpoint(trigger.hub, trigger.consumer_group, partition, after)
        except Exception:  # the event log failed: say so rather than stop delivering silently
            log.exception("%s stopped reading %s #%d", trigger.name, trigger.hub, partition)
            raise
        finally:
            self._release(consumer)

    def _release(self, consumer: _Consumer) -> None:
        if consumer.holds_busy:
            consumer.holds_busy = False
            self._busy.release()

    async def _deliver(self, trigger: EventHubTrigger, batch: list[StoredEvent]) -> None:
        deliveries = self.deliveries
        if deliveries is not None:
            code = code_of(trigger.function.user_function)
            handle = deliveries.begin(
                trigger.hub, trigger.consumer_group, trigger.name, batch, code
            )
        events = to_events(trigger, batch)
        if trigger.many:
            errors = [await self._invoke_once(trigger, events)]
        else:  # cardinality "one": one call per event, one checkpoint per batch
            errors = [await self._invoke_once(trigger, event) for event in events]
        if deliveries is not None:
            deliveries.end(handle, next((e for e in errors if e), None))

    async def _invoke_once(self, trigger: EventHubTrigger, argument: object) -> str | None:
        """Invoke the function; what it raised, as text, or None."""
        try:
            await self._invoke(trigger.function, {trigger.param: argument})
        except Exception as error:
            # Azure checkpoints past a failed batch too: the events are skipped, not retried.
            log.exception("function %s failed on events from %s", trigger.name, trigger.hub)
            return f"{type(error).__name__}: {error}"
        return None

    async def output_sink(
        self, function: IndexedFunction, binding: dict[str, Any], value: object
    ) -> None:
        """Append what a function set on an eventHub output binding (the invoker's sink)."""
        where = f"function {function.name!r}"
        hub = resolve_app_settings(binding["eventHubName"], self._env, where)
        self.publish(hub, [(None, body) for body in output_bodies(value)])
