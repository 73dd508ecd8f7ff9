"""Turn an episode's result into the instance's new state and the one transaction that records
it: history append, pending work added and removed, child instances, messages to entities, the
updated row."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from devhost.durable import history
from devhost.durable.episode.types import EpisodeResult, Runtime
from devhost.durable.instance_state import Active, Ready, failure_event, new_instance, start_event
from devhost.durable.store import PendingRow, Transaction

TERMINAL = {"Completed", "Failed", "Terminated"}


@dataclass
class EpisodeCommit:
    active: Active
    result: EpisodeResult
    fragments: list[str]  # this episode's history events, serialized
    delivered_keys: list[str]
    first_seq: int
    replayed: list[str]  # the fragments the SDK replays (history.REPLAYED), in order
    pending: list[PendingRow] = field(default_factory=list)
    children: list[Active] = field(default_factory=list)
    ready_now: list[Ready] = field(default_factory=list)  # events for this instance right away
    to_entities: list[tuple[str, str]] = field(default_factory=list)  # (entity id, request JSON)

    @property
    def terminal(self) -> bool:
        return self.result.status in TERMINAL

    @property
    def continued(self) -> bool:
        return self.result.status == "ContinuedAsNew"

    def write(self, tx: Transaction) -> None:
        row = self.active.row
        tx.delete_pending(row.id, self.delivered_keys)
        if self.continued:
            tx.clear_history(row.id)
            tx.clear_pending(row.id, keep_raised_events=True)
        else:
            tx.append_history(row.id, self.first_seq, self.fragments)
            first_action = len(self.active.runtime.signatures) - len(self.result.new_signatures)
            tx.append_actions(row.id, first_action, self.result.new_signatures)
        if self.terminal:
            tx.clear_pending(row.id)
        tx.delete_pending(row.id, [f"t{t}" for t in self.result.canceled_timers])
        tx.add_pending(self.pending)
        tx.enqueue(self.to_entities)
        for child in self.children:
            tx.delete_instance(child.row.id)  # an explicit child id replaces that instance
            tx.put_instance(child.row)
            tx.add_pending(r.pending_row(child.row.id) for r in child.ready)
        tx.put_instance(row)


def prepare(
    active: Active,
    delivered: list[Ready],
    fragments: list[str],
    result: EpisodeResult,
    orchestrators: set[str],
    default_version: str = "",
) -> EpisodeCommit:
    """Update ``active.row`` and list everything the transaction must write."""
    row = active.row
    # OrchestratorStarted and the delivered events, then the recorded ones the SDK reads (an
    # entity call's EventSent, spec 11.3).
    replayed = fragments[: 1 + len(delivered)]
    replayed += [json.dumps(e) for e in result.recorded if e["EventType"] in history.REPLAYED]
    commit = EpisodeCommit(
        active, result, fragments, [r.key for r in delivered if r.key], active.history_len, replayed
    )
    row.status = result.status
    row.updated = history.iso(result.now)
    row.custom_status = result.custom_status
    row.next_id, row.consumed = active.runtime.next_id, active.runtime.consumed
    row.extra = active.runtime.extra_json()
    # Sent whatever the outcome: a signal just before the orchestrator returns still goes out.
    for message in result.entity_messages:
        request = message.request
        if not request.get("signal"):  # a call's answer must reach this very execution
            request = {**request, "parentExecution": row.execution_id}
        commit.to_entities.append((message.target, json.dumps(request)))
    if commit.continued:
        _continue_as_new(commit)
        return commit
    if commit.terminal:
        row.output = result.output
        return commit
    for work in result.activities:
        # The execution lets a late completion of an earlier execution leave this row alone.
        data = json.dumps({"name": work.name, "input": work.input, "execution": row.execution_id})
        commit.pending.append(PendingRow(row.id, f"a{work.task_id}", "activity", None, data))
    for timer in result.timers:
        data = json.dumps({"fire_at": timer.fire_at})
        commit.pending.append(PendingRow(row.id, f"t{timer.task_id}", "timer", timer.fire_at, data))
    for child in result.children:
        if child.name in orchestrators:
            parent = {
                "id": row.id,
                "name": row.name,
                "task_id": child.task_id,
                "execution_id": row.execution_id,
            }
            version = default_version if child.version is None else child.version
            commit.children.append(
                new_instance(
                    child.name, child.instance_id, child.input, result.now, parent, version
                )
            )
        else:
            reason = (
                f"The function '{child.name}' doesn't exist, is disabled, "
                "or is not an orchestrator function."
            )
            failed = failure_event(
                history.SUB_ORCHESTRATION_FAILED, child.task_id, reason, result.now
            )
            ready = Ready(f"r{child.task_id}", failed)
            commit.pending.append(ready.pending_row(row.id))
            commit.ready_now.append(ready)
    return commit


def _continue_as_new(commit: EpisodeCommit) -> None:
    """Same instance id, fresh execution: new input, empty history, reset id counter; raised
    events not yet delivered carry over."""
    active, row = commit.active, commit.active.row
    row.input, row.output = commit.result.output, None
    row.execution_id = uuid.uuid4().hex
    active.runtime = Runtime()
    row.next_id, row.consumed, row.extra = 0, 0, active.runtime.extra_json()
    started = start_event(row, commit.result.now, active.parent)
    commit.pending.append(started.pending_row(row.id))
    commit.ready_now.append(started)
