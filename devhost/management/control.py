"""Client operations on instances (start, raise event, terminate, suspend, resume, purge), each
committed before it takes effect in the engine. Callers check existence and state first."""

from __future__ import annotations

import json
import logging
import uuid

from devhost.durable import history
from devhost.durable.engine import Engine
from devhost.durable.instance_state import Active, Ready, new_instance
from devhost.durable.store import InstanceRow

log = logging.getLogger("devhost.orchestrations")


class InstanceControl:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store
        self.clock = engine.clock

    def start(
        self, name: str, instance_id: str, input_text: str | None, version: str | None = None
    ) -> InstanceRow:
        """Start (or silently replace) ``instance_id`` running orchestrator ``name``, of
        ``version`` (None: host.json defaultVersion)."""
        if version is None:
            version = self.engine.versioning.default_version
        active = new_instance(name, instance_id, input_text, self.clock.now(), version=version)
        with self.store.transaction() as tx:
            tx.delete_instance(instance_id)
            tx.put_instance(active.row)
            tx.add_pending(r.pending_row(instance_id) for r in active.ready)
        self.engine.activate(active)
        log.info("%s: %s started", instance_id, name)
        return active.row

    def raise_event(self, instance_id: str, name: str, input_text: str) -> None:
        active = self._active(instance_id)
        raised = history.event(history.EVENT_RAISED, self.clock.now(), Name=name, Input=input_text)
        ready = Ready(f"e{uuid.uuid4().hex}", raised)
        with self.store.transaction() as tx:
            tx.add_pending([ready.pending_row(instance_id)])
        self.engine.deliver(instance_id, active.row.execution_id, ready)

    def terminate(self, instance_id: str, reason: str) -> None:
        active = self._active(instance_id)
        now = self.clock.now()
        active.row.status, active.row.output = "Terminated", json.dumps(reason)
        active.row.updated = history.iso(now)
        terminated = history.event(history.EXECUTION_TERMINATED, now, Input=reason)
        with self.store.transaction() as tx:
            tx.append_history(instance_id, active.history_len, [json.dumps(terminated)])
            tx.clear_pending(instance_id)
            tx.put_instance(active.row)
            self.engine.tell_parent(tx, active)
        self.engine.finish(active)

    def suspend(self, instance_id: str) -> None:
        self._set_status(instance_id, "Suspended")

    def resume(self, instance_id: str) -> None:
        self._set_status(instance_id, "Running")
        self.engine.mark_dirty(instance_id)

    def purge(self, instance_ids: list[str]) -> int:
        with self.store.transaction() as tx:
            for instance_id in instance_ids:
                tx.delete_instance(instance_id)
        for instance_id in instance_ids:
            self.engine.discard(instance_id)
        return len(instance_ids)

    def _set_status(self, instance_id: str, status: str) -> None:
        row = self._active(instance_id).row
        row.status, row.updated = status, history.iso(self.clock.now())
        with self.store.transaction() as tx:
            tx.put_instance(row)
        log.info("%s: %s %s", instance_id, row.name, status.lower())

    def _active(self, instance_id: str) -> Active:
        active = self.engine.get(instance_id)
        if active is None:
            raise KeyError(f"instance {instance_id!r} is not running")
        return active
