"""Run one episode of an instance: build the trigger payload from the cached replay text plus
the events being delivered, call the orchestrator, apply its reply. Nothing is written here."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from devhost.durable import history
from devhost.durable.episode.commit import EpisodeCommit, prepare
from devhost.durable.episode.reply import apply_reply
from devhost.durable.episode.types import EpisodeResult
from devhost.durable.instance_state import Active
from devhost.durable.orchestrator_call import Reply, build_payload, call_orchestrator
from devhost.durable.versioning import MISMATCH_MESSAGE, Versioning
from devhost.functions.app_index import FunctionIndex

log = logging.getLogger("devhost.orchestrations")


def run_episode(
    index: FunctionIndex, active: Active, now: datetime, versioning: Versioning
) -> EpisodeCommit:
    row = active.row
    delivered = active.take_deliverable()
    events = [history.event(history.ORCHESTRATOR_STARTED, now), *(r.event for r in delivered)]
    fragments = [json.dumps(e) for e in events]
    if versioning.verdict(row.version) == "fail":  # versionFailureStrategy Fail: not replayed
        result = EpisodeResult(now, "Failed", json.dumps(MISMATCH_MESSAGE))
    else:
        reply = call_on_history(index, active, fragments)
        delivered_events = [r.event for r in delivered]
        result = apply_reply(active.runtime, row.id, row.name, delivered_events, reply, now)
    if result.status in ("Completed", "Failed"):
        result.recorded.append(history.execution_completed(now, result.status, result.output))
    fragments += [json.dumps(e) for e in result.recorded]
    fragments.append(json.dumps(history.event(history.ORCHESTRATOR_COMPLETED, now)))
    orchestrators = set(index.orchestrators)
    return prepare(active, delivered, fragments, result, orchestrators, versioning.default_version)


def call_on_history(index: FunctionIndex, active: Active, new_events: list[str]) -> Reply:
    """Call the instance's orchestrator on its replayed history plus ``new_events`` (JSON), as the
    worker would; the replay check makes the same call with no new events."""
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
