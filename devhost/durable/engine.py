"""The orchestration engine: one episode at a time per instance, many instances interleaved on
the event loop. Ready events are batched into one episode; each episode's results are committed
in one transaction before the work it started is launched. It owns the entity scheduler, which
answers entity calls through ``post``."""

from __future__ import annotations

import asyncio
import logging

from devhost.durable.clock import Clock
from devhost.durable.coalesce import Coalescer
from devhost.durable.entities.scheduler import EntityScheduler
from devhost.durable.episode.commit import EpisodeCommit
from devhost.durable.episode.run import run_episode
from devhost.durable.instance_state import Active, Ready, result_for_parent
from devhost.durable.store import Store, Transaction
from devhost.durable.versioning import Versioning
from devhost.durable.work import WorkRunner
from devhost.functions.app_index import FunctionIndex
from devhost.functions.invoker import FunctionInvoker

log = logging.getLogger("devhost.orchestrations")

# Instances served per loop turn, so HTTP requests and completions get in between.
EPISODES_PER_TURN = 16


class Engine:
    def __init__(
        self,
        index: FunctionIndex,
        store: Store,
        clock: Clock,
        invoker: FunctionInvoker,
        versioning: Versioning | None = None,
    ) -> None:
        self.index = index
        self.versioning = versioning or Versioning()
        self.store = store
        self.clock = clock
        self.runner = WorkRunner(index, invoker, clock, self.deliver, store.record_completion)
        self.coalescer = Coalescer(clock, self.runner.running, self.mark_dirty)
        self.entities = EntityScheduler(index, store, clock, invoker, self.post)
        self._active: dict[str, Active] = {}
        self._dirty: dict[str, None] = {}  # insertion-ordered set
        self._draining = False
        self._waiters: dict[str, list[asyncio.Future[None]]] = {}
        self._rejected: set[str] = set()  # instances of a version this host must not run

    def get(self, instance_id: str) -> Active | None:
        return self._active.get(instance_id)

    def activate(self, active: Active) -> None:
        """Take over an unfinished instance (started, recovered or restarted), replacing any
        earlier execution under that id."""
        self.discard(active.row.id)
        self._active[active.row.id] = active
        if active.ready:
            self.mark_dirty(active.row.id)

    def discard(self, instance_id: str) -> None:
        self.coalescer.forget(instance_id)
        self._rejected.discard(instance_id)
        old = self._active.pop(instance_id, None)
        for timer in old.timers.values() if old else ():
            timer.cancel()

    def deliver(self, instance_id: str, execution_id: str, ready: Ready) -> None:
        active = self._active.get(instance_id)
        if active is not None and active.row.execution_id == execution_id:
            active.ready.append(ready)
            self.coalescer.ready(instance_id)

    async def wait(self, instance_id: str) -> None:
        """Until the instance is finished (returns at once if it is not running here)."""
        if instance_id in self._active:
            future = asyncio.get_running_loop().create_future()
            self._waiters.setdefault(instance_id, []).append(future)
            await future

    def mark_dirty(self, instance_id: str) -> None:
        self._dirty[instance_id] = None
        if not self._draining:
            self._draining = True
            self.clock.hold()
            asyncio.get_running_loop().call_soon(self._drain)

    def _drain(self) -> None:
        batch = list(self._dirty)[:EPISODES_PER_TURN]
        for instance_id in batch:
            del self._dirty[instance_id]
            active = self._active.get(instance_id)
            if active is None or not active.ready or active.row.status == "Suspended":
                continue
            if self._rejects(active):
                continue
            try:
                self._episode(active)
            except Exception:
                log.exception("%s: episode failed inside the host", instance_id)
            if active.ready and self._active.get(instance_id) is active:
                self._dirty[instance_id] = None
        if self._dirty:
            asyncio.get_running_loop().call_soon(self._drain)
        else:
            self._draining = False
            self.clock.release()

    def _rejects(self, active: Active) -> bool:
        """versionFailureStrategy Reject: leave the instance as it is, for a host whose
        defaultVersion accepts it (the extension abandons the work item)."""
        row = active.row
        if self.versioning.verdict(row.version) != "reject":
            return False
        if row.id not in self._rejected:
            self._rejected.add(row.id)
            log.warning(
                "%s: %s has version %r, which host.json defaultVersion %r with "
                "versionMatchStrategy %s does not run; it waits for a host that does",
                row.id,
                row.name,
                row.version,
                self.versioning.default_version,
                self.versioning.match,
            )
        return True

    def _episode(self, active: Active) -> None:
        with self.coalescer.timing(active.row.id):
            commit = run_episode(self.index, active, self.clock.now(), self.versioning)
            with self.store.transaction() as tx:
                commit.write(tx)
                if commit.terminal:
                    self.tell_parent(tx, active)
        self._launch(commit)

    def _launch(self, commit: EpisodeCommit) -> None:
        """After the commit: start the new work, or wrap up a finished execution."""
        active, row = commit.active, commit.active.row
        self.entities.kick(target for target, _ in commit.to_entities)
        for timer_id in commit.result.canceled_timers:
            task = active.timers.pop(timer_id, None)
            if task:
                task.cancel()
        if commit.terminal:
            self.finish(active)
            return
        if commit.continued:
            log.info("%s: %s continued as new", row.id, row.name)
            active.new_execution(commit.ready_now)
            self.activate(active)
            return
        active.extend_history(len(commit.fragments), commit.replayed)
        for work in commit.result.activities:
            self.runner.start_activity(row.id, row.execution_id, work)
        for timer in commit.result.timers:
            active.timers[timer.task_id] = self.runner.arm_timer(row.id, row.execution_id, timer)
        for child in commit.children:
            self.activate(child)
        for ready in commit.ready_now:
            self.deliver(row.id, row.execution_id, ready)

    def tell_parent(self, tx: Transaction, active: Active) -> None:
        """In the child's final transaction: record its result as an event for the parent."""
        link = active.parent
        if link is None:
            return
        event = result_for_parent(active.row, link["task_id"], self.clock.now())
        self.post(tx, link["id"], link["execution_id"], Ready(f"r{link['task_id']}", event))

    def post(self, tx: Transaction, instance_id: str, execution_id: str, ready: Ready) -> None:
        """In ``tx``: record an event for that execution of the instance, delivered once ``tx``
        commits; nothing when that execution no longer runs."""
        active = self._active.get(instance_id)
        if active is None or active.row.execution_id != execution_id:
            return
        tx.add_pending([ready.pending_row(instance_id)])
        asyncio.get_running_loop().call_soon(self.deliver, instance_id, execution_id, ready)

    def finish(self, active: Active) -> None:
        row = active.row
        self.discard(row.id)
        level = logging.WARNING if row.status == "Failed" else logging.INFO
        log.log(level, "%s: %s %s", row.id, row.name, row.status.lower())
        for future in self._waiters.pop(row.id, []):
            if not future.done():
                future.set_result(None)
