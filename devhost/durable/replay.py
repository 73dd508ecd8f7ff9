"""The replay check: replay a recorded history against the current code, with the same call the
engine makes for an episode, and compare the actions it now takes with the recorded ones. A
recorded history comes from a state file or from a fixture file (JSON, exported from one)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import azure.functions as func

from devhost.durable.episode.reply import first_difference, flatten, signature
from devhost.durable.episode.run import call_on_history
from devhost.durable.instance_state import restore_active
from devhost.durable.orchestrator_call import install_sdk_fast_paths
from devhost.durable.store import TERMINAL, InstanceRow, Store
from devhost.functions.app_index import FunctionIndex, build_index, load_app

AGREES, DIFFERS, SKIPPED = "agrees", "differs", "skipped"


@dataclass(frozen=True)
class Recorded:
    """One instance's current execution as stored: its row, every history event (JSON) and the
    signature of every action its orchestrator took, in order."""

    row: InstanceRow
    history: list[str]
    signatures: list[str]

    def to_fixture(self) -> str:
        history = [json.loads(event) for event in self.history]
        body = {"instance": asdict(self.row), "history": history, "actions": self.signatures}
        return json.dumps(body, indent=1) + "\n"

    @classmethod
    def from_fixture(cls, path: Path) -> Recorded:
        body = json.loads(path.read_text())
        history = [json.dumps(event) for event in body["history"]]
        return cls(InstanceRow(**body["instance"]), history, list(body["actions"]))


@dataclass(frozen=True)
class Verdict:
    row: InstanceRow
    outcome: str  # AGREES | DIFFERS | SKIPPED
    detail: str = ""  # what differs (the first differing action), or why it was skipped

    def line(self) -> str:
        label = {AGREES: "ok", DIFFERS: "DIFFERS", SKIPPED: "skipped"}[self.outcome]
        text = f"{label:8} {self.row.name} {self.row.id} ({self.row.status})"
        return f"{text}: {self.detail}" if self.detail else text


def replay_index(app: str | func.FunctionRegister, app_dir: Path) -> FunctionIndex:
    """The app (an object, or ``module:attribute`` imported from ``app_dir``) indexed as the host
    indexes it, with the SDK set up as the host sets it up."""
    install_sdk_fast_paths()
    return build_index(load_app(app, app_dir) if isinstance(app, str) else app)


def recorded_in(store: Store, instance_id: str | None = None) -> list[Recorded]:
    """Every instance in the store (or the one named), oldest first."""
    rows = [r for r in [store.instance(instance_id)] if r] if instance_id else store.instances()
    return [Recorded(r, store.history(r.id), store.action_signatures(r.id)) for r in rows]


def check(index: FunctionIndex, recorded: Recorded) -> Verdict:
    """Replay one recorded history and say whether the code still takes the recorded actions
    (and, for a completed instance, still completes there)."""
    row = recorded.row
    if row.name not in index.orchestrators:
        # A running instance would fail on its next episode; a finished one is only history.
        outcome = SKIPPED if row.status in TERMINAL else DIFFERS
        return Verdict(row, outcome, f"the app has no orchestrator named '{row.name}'")
    if not recorded.history:
        return Verdict(row, SKIPPED, "not started yet: no history to replay")
    active = restore_active(row, recorded.history, recorded.signatures)
    reply = call_on_history(index, active, [])
    now = [signature(action) for action in flatten(reply.state.get("actions") or [])]
    before = recorded.signatures
    position = first_difference(before, now)
    if position is not None:
        later = _shown(now[position]) if position < len(now) else "nothing"
        detail = f"at position {position}: recorded {_shown(before[position])}, now {later}"
        if reply.error is not None:
            detail += f" (the replay raised: {_first_line(reply.error)})"
        return Verdict(row, DIFFERS, detail)
    if reply.error is not None and row.status != "Failed":
        return Verdict(
            row, DIFFERS, f"now fails after {len(now)} actions: {_first_line(reply.error)}"
        )
    if row.status == "Completed" and not reply.state.get("isDone"):
        later = _shown(now[len(before)]) if len(now) > len(before) else "no completion"
        detail = f"at position {len(before)}: recorded completion, now {later}"
        return Verdict(row, DIFFERS, detail)
    return Verdict(row, AGREES)


def _shown(action_signature: str) -> str:
    """``activity 'reserve'`` as stored; a timer has no name to show."""
    return action_signature.removesuffix(" ''")


def _first_line(error: str) -> str:
    return error.splitlines()[0] if error else ""
