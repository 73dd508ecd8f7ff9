"""``python -m devhost replay [--app MODULE:VAR] [--app-dir DIR] [--state FILE]``: replay every
recorded history in a state file against the current code; exit 1 if any instance would now take
different actions, 2 if the check cannot run. ``python -m devhost export INSTANCE_ID [--state
FILE] [--out FILE]``: one instance's history as a fixture for ``devhost.testing.replay``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devhost.durable.replay import AGREES, DIFFERS, SKIPPED, check, recorded_in, replay_index
from devhost.durable.store import Store
from devhost.functions import host_config
from devhost.functions.app_index import AppIndexError

DEFAULT_STATE = Path(".devhost/state.db")


def replay(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devhost replay", description=__doc__)
    parser.add_argument("--app", default="function_app:app", help="module[:attribute]")
    parser.add_argument("--app-dir", type=Path, default=Path.cwd(), help="default: cwd")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("-v", "--verbose", action="store_true", help="list agreeing instances too")
    args = parser.parse_args(argv)
    store = _open(args.state)
    if store is None:
        return 2
    app_dir = args.app_dir.resolve()
    host_config.load_local_settings(app_dir)
    try:
        index = replay_index(args.app, app_dir)
    except (AppIndexError, ImportError) as error:
        print(f"replay check: cannot load {args.app}: {error}", file=sys.stderr)
        return 2
    verdicts = [check(index, recorded) for recorded in recorded_in(store)]
    store.close()
    for verdict in verdicts:
        if verdict.outcome != AGREES or args.verbose:
            print(verdict.line())
    count = {o: sum(v.outcome == o for v in verdicts) for o in (AGREES, DIFFERS, SKIPPED)}
    where = f"{len(verdicts)} instance(s) in {args.state} replayed against {args.app}"
    tally = f"{count[AGREES]} agree, {count[DIFFERS]} differ, {count[SKIPPED]} skipped"
    print(f"replay check {'FAILED' if count[DIFFERS] else 'passed'}: {where}: {tally}")
    return 1 if count[DIFFERS] else 0


def export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devhost export", description=__doc__)
    parser.add_argument("instance_id")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--out", type=Path, help="fixture file (default: stdout)")
    args = parser.parse_args(argv)
    store = _open(args.state)
    if store is None:
        return 2
    found = recorded_in(store, args.instance_id)
    store.close()
    if not found:
        print(f"export: no instance {args.instance_id!r} in {args.state}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(found[0].to_fixture())
    else:
        sys.stdout.write(found[0].to_fixture())
    return 0


def _open(state: Path) -> Store | None:
    """The state file, or None (said on stderr) when there is none: never create an empty one."""
    if not state.is_file():
        print(f"no state file at {state} (run the host first, or pass --state)", file=sys.stderr)
        return None
    return Store(state)
