"""Run one episode of an instance: build the trigger payload from the cached replay text plus
the events being delivered, call the orchestrator, apply its reply. Nothing is written here."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from devhost.durable import history
from devhost.durable.episode.commit import EpisodeCommit, prepare
from devhost.durable.episode.reply import apply_reply
from devhost.durable.instance_state import Active
from devhost.durable.orchestrator_call import Reply, build_payload, call_orchestrator
from devhost.functions.app_index import FunctionIndex

log = logging.getLogger("devhost.orchestrations")


def run_episode(index: FunctionIndex, active: Active, now: datetime) -> EpisodeCommit:
    row = active.row
    delivered = active.take_deliverable()
    events = [history.event(history.ORCHESTRATOR_STARTED, now), *(r.event for r in delivered)]
    fragments = [json.dumps(e) for e in events]
    reply = _call(index, active, fragments)
    result = apply_reply(active.runtime, row.id, row.name, [r.event for r in delivered], reply, now)
    fragments += [json.dumps(e) for e in result.recorded]
    fragments.append(json.dumps(history.event(history.ORCHESTRATOR_COMPLETED, now)))
    return prepare(active, delivered, fragments, result, set(index.orchestrators))


def _call(index: FunctionIndex, active: Active, new_events: list[str]) -> Reply:
    row = active.row
    function = index.orchestrators.get(row.name)
    if function is None:  # the app changed since the instance started
        return Reply({"actions": []}, f"the app has no orchestrator named '{row.name}'")
    # Only the replayed events reach the SDK: it ignores those recorded for new work (spec
    # 6.1), and parsing their timestamps would be most of an episode's cost.
    parent = active.parent
    payload = build_payload(
        active.with_replayed(new_events), row.id, row.input, parent["id"] if parent else None
    )
    reply = call_orchestrator(function.user_function, payload)
    if reply.host_error:
        log.error("%s: the SDK rejected the episode payload: %s", row.id, reply.error)
    return reply
