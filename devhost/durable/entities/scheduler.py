"""The entity scheduler (spec 11.4): one batch at a time per entity, its operations in the order
they were queued. A batch's effects (the new state, the answers to calling orchestrators, its
signals) commit in one transaction with the removal of its requests from the queue, so a crash
before that commit runs the batch again: at-least-once, as in Azure."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable

from azure.functions._durable_functions import EntityContext

from devhost.durable import history
from devhost.durable.clock import Clock
from devhost.durable.entities import batch, messages
from devhost.durable.entities.store import EntityRow, Queued
from devhost.durable.instance_state import Ready
from devhost.durable.store import Store, Transaction
from devhost.functions.app_index import FunctionIndex
from devhost.functions.invoker import FunctionInvoker

log = logging.getLogger("devhost.entities")

# In a transaction, record an event for one execution of an orchestration instance, delivered
# once committed; nothing if that execution no longer runs: (tx, instance id, execution id, event)
Post = Callable[[Transaction, str, str, Ready], None]


class EntityScheduler:
    def __init__(
        self, index: FunctionIndex, store: Store, clock: Clock, invoker: FunctionInvoker, post: Post
    ) -> None:
        self._index = index
        self._store = store
        self._clock = clock
        self._invoker = invoker
        self._post = post
        self._draining: dict[str, asyncio.Task[None]] = {}
        self.batch_size = 50  # operations per batch at most (host.json sets it)

    def signal(self, entity_id: str, operation: str, input_text: str | None) -> None:
        """A client's signal: queued (committed) before the entity sees it."""
        message = messages.request(operation, input_text, signal=True)
        with self._store.transaction() as tx:
            tx.enqueue([(entity_id, json.dumps(message))])
        self.kick([entity_id])

    def kick(self, entity_ids: Iterable[str]) -> None:
        """Requests were queued for these entities: process them unless already under way."""
        for entity_id in entity_ids:
            if entity_id not in self._draining:
                self._clock.hold()  # virtual time waits until the queue is empty
                task = asyncio.get_running_loop().create_task(self._drain(entity_id))
                self._draining[entity_id] = task

    def recover(self) -> int:
        """After a restart: process whatever is still queued; returns for how many entities."""
        queued = self._store.entities_with_queued()
        self.kick(queued)
        return len(queued)

    async def stop(self) -> None:
        tasks = list(self._draining.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _drain(self, entity_id: str) -> None:
        try:
            while queued := self._store.queued(entity_id, self.batch_size):
                await self._run_batch(entity_id, queued)
        except Exception:  # a host bug: the requests stay queued for the next start
            log.exception("%s: entity batch failed inside the host", entity_id)
        finally:
            del self._draining[entity_id]
            self._clock.release()

    async def _run_batch(self, entity_id: str, queued: list[Queued]) -> None:
        name, key = messages.split_entity_id(entity_id)
        requests = [json.loads(q.message) for q in queued]
        entity = self._store.entity(entity_id)
        outcome = await self._execute(entity_id, entity, requests)
        now = self._clock.now()
        with self._store.transaction() as tx:
            tx.dequeue(entity_id, queued[-1].seq)
            if outcome.exists:
                tx.put_entity(EntityRow(entity_id, name, key, outcome.state, history.iso(now)))
            else:
                tx.delete_entity(entity_id)
            for request, result in zip(requests, outcome.results, strict=True):
                self._answer(tx, entity_id, request, result)
            tx.enqueue((target, json.dumps(request)) for target, request in outcome.signals)
        self.kick(target for target, _ in outcome.signals)

    async def _execute(
        self, entity_id: str, entity: EntityRow | None, requests: list[messages.Request]
    ) -> batch.BatchOutcome:
        name, key = messages.split_entity_id(entity_id)
        function = self._index.entities.get(name)
        if function is None:
            reason = messages.unknown_entity(name, list(self._index.entities))
            return batch.failed(entity, len(requests), reason)
        context = EntityContext(batch.payload(name, key, entity, requests))
        try:
            answer = await self._invoker.call_with_context(function, context)
            return batch.read_answer(answer, entity_id, len(requests))
        except Exception as error:
            reason = (
                f"Invocation of function '{function.name}' failed with an exception: "
                f"{type(error).__name__}: {error}"
            )
            log.error("%s: %s", entity_id, reason)
            return batch.failed(entity, len(requests), reason)

    def _answer(
        self,
        tx: Transaction,
        entity_id: str,
        request: messages.Request,
        result: batch.OperationResult,
    ) -> None:
        """Log a failed operation; answer a call (a signal has no one to answer)."""
        if result.is_error:
            log.warning("%s: operation '%s' failed: %s", entity_id, request["op"], result.result)
        if request.get("signal") or "parent" not in request:
            return
        event = messages.response_event(request, result.result, result.is_error, self._clock.now())
        ready = Ready(f"c{request['id']}", event)
        self._post(tx, request["parent"], request.get("parentExecution", ""), ready)
