"""Restart: every unfinished instance resumes from the store. Undelivered events go back to the
ready list, armed timers are re-armed, and activities whose result was never recorded run again
(at-least-once, as in Azure); entities with queued operations process them."""

from __future__ import annotations

import json
import logging

from devhost.durable.engine import Engine
from devhost.durable.episode.types import ActivityWork, TimerWork
from devhost.durable.instance_state import Ready, restore_active

log = logging.getLogger("devhost.orchestrations")


def recover(engine: Engine) -> int:
    """Load every unfinished instance into the engine; returns how many."""
    rows = engine.store.unfinished()
    for row in rows:
        signatures = engine.store.action_signatures(row.id)
        active = restore_active(row, engine.store.history(row.id), signatures)
        pending = engine.store.pending(row.id)
        active.ready = [Ready(p.key, json.loads(p.data)) for p in pending if p.kind == "event"]
        engine.activate(active)
        for p in pending:
            data = json.loads(p.data)
            if p.kind == "activity":
                work = ActivityWork(int(p.key[1:]), data["name"], data["input"])
                engine.runner.start_activity(row.id, row.execution_id, work)
            elif p.kind == "timer":
                timer = TimerWork(int(p.key[1:]), data["fire_at"])
                active.timers[timer.task_id] = engine.runner.arm_timer(
                    row.id, row.execution_id, timer
                )
    if rows:
        log.info("resumed %d unfinished instance(s)", len(rows))
    if entities := engine.entities.recover():
        log.info("%d entities have queued operations to process", entities)
    return len(rows)
