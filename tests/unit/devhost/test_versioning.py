"""Orchestration versioning as in Durable Functions: host.json defaultVersion, the version given
to start_new / ?version= / sub-orchestrations, context.version in the replay, the version in the
status, and versionMatchStrategy / versionFailureStrategy."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from devhost.durable.history import EXECUTION_STARTED
from devhost.durable.versioning import (
    MISMATCH_MESSAGE,
    Versioning,
    VersioningError,
    compare_versions,
    versioning_settings,
)
from devhost.testing.client import WEBHOOK, HostClient
from tests.devhost_apps.inprocess import InProcessHost

APP = "tests.devhost_apps.versioning_app:app"


@contextmanager
def versioned_host(tmp_path: Path, **durable: str) -> Iterator[HostClient]:
    """A host whose host.json durableTask section is ``durable``, on the state in tmp_path."""
    (tmp_path / "host.json").write_text(
        json.dumps({"version": "2.0", "extensions": {"durableTask": durable}})
    )
    with InProcessHost(tmp_path / "state.db", app=APP, app_dir=tmp_path) as running:
        yield running.client


def start(client: HostClient, name: str, version: str | None = None) -> str:
    query = f"?version={version}" if version is not None else ""
    reply = client.request("POST", f"/api/start/{name}{query}")
    assert reply.status == 202, reply
    return str(reply.json()["id"])


def finished(client: HostClient, instance_id: str) -> dict[str, Any]:
    status = client.wait(instance_id)
    assert status["runtimeStatus"] == "Completed", status
    return status


def test_a_new_instance_gets_the_default_version_of_host_json(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="1.0") as client:
        status = finished(client, start(client, "plain"))
    assert (status["output"], status["version"]) == ("1.0", "1.0")


def test_without_a_default_version_context_version_is_empty(tmp_path: Path) -> None:
    with versioned_host(tmp_path) as client:
        status = finished(client, start(client, "plain"))
    assert (status["output"], status["version"]) == ("", "")


def test_start_new_with_a_version_overrides_the_default(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="2.0") as client:
        status = finished(client, start(client, "plain", version="1.5"))
    assert (status["output"], status["version"]) == ("1.5", "1.5")


def test_the_management_start_url_takes_a_version(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="3") as client:
        reply = client.request("POST", f"{WEBHOOK}/orchestrators/plain?version=2")
        status = finished(client, reply.json()["id"])
    assert status["output"] == "2"


def test_an_instance_keeps_its_version_across_a_deployment_and_its_children_get_the_new_default(
    tmp_path: Path,
) -> None:
    with versioned_host(tmp_path, defaultVersion="1.0") as client:
        instance_id = start(client, "versioned")
        client.wait_for(instance_id, lambda s: _waits(client, instance_id))
    with versioned_host(tmp_path, defaultVersion="2.0") as client:
        client.raise_event(instance_id, "Deployed", "go")
        status = finished(client, instance_id)
        newer = start(client, "versioned")
        client.wait_for(newer, lambda s: _waits(client, newer))
        client.raise_event(newer, "Deployed", "go")
        newer_output = finished(client, newer)["output"]
    assert status["output"] == {
        "version": "1.0",
        "path": "old path",
        "explicit": "0.9",
        "default": "2.0",
        "retried": "1.5",
    }
    assert (status["version"], newer_output["version"], newer_output["path"]) == (
        "1.0",
        "2.0",
        "new path",
    )


def _waits(client: HostClient, instance_id: str) -> bool:
    """The orchestrator has scheduled its wait for the Deployed event."""
    status = client.status(instance_id, showHistory="true")
    events = status["historyEvents"] if status else []
    return any(e["EventType"] == "TaskCompleted" for e in events)


def test_history_records_the_versions(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="1.0") as client:
        status = finished(client, start(client, "plain", version="0.5"))
    # The stored history: the condensed showHistory view leaves Version out, as the extension.
    with sqlite3.connect(tmp_path / "state.db") as db:
        stored = db.execute(
            "SELECT event FROM history WHERE instance_id = ? ORDER BY seq",
            (status["instanceId"],),
        ).fetchall()
    events = [json.loads(text) for (text,) in stored]
    started = next(e for e in events if e["EventType"] == EXECUTION_STARTED)
    assert started["Version"] == "0.5"


def test_continue_as_new_keeps_the_version(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="4.2") as client:
        status = finished(client, start(client, "renewing", version="4.1"))
    assert (status["output"], status["version"]) == ("4.1", "4.1")


def test_a_newer_instance_is_rejected_until_a_host_of_its_version_runs_it(tmp_path: Path) -> None:
    """CurrentOrOlder + Reject (the defaults): the instance stays as it is, not failed."""
    with versioned_host(tmp_path, defaultVersion="1.0") as client:
        instance_id = start(client, "plain", version="2.0")
        older = finished(client, start(client, "plain", version="0.9"))
        status = client.status(instance_id)
    assert (status["runtimeStatus"], older["output"]) == ("Pending", "0.9")
    with versioned_host(tmp_path, defaultVersion="2.0") as client:
        assert finished(client, instance_id)["output"] == "2.0"


def test_strict_matching_with_the_fail_strategy_fails_another_version(tmp_path: Path) -> None:
    durable = {"versionMatchStrategy": "Strict", "versionFailureStrategy": "Fail"}
    with versioned_host(tmp_path, defaultVersion="1.0", **durable) as client:
        failed = client.wait(start(client, "plain", version="0.9"))
        same = finished(client, start(client, "plain"))
    assert (failed["runtimeStatus"], failed["output"]) == ("Failed", MISMATCH_MESSAGE)
    assert same["output"] == "1.0"


def test_no_matching_runs_every_version(tmp_path: Path) -> None:
    with versioned_host(tmp_path, defaultVersion="1.0", versionMatchStrategy="None") as client:
        assert finished(client, start(client, "plain", version="9.0"))["output"] == "9.0"


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        ("", "", 0),
        ("", "1.0", -1),
        ("1.0", "", 1),
        ("1.10", "1.9", 1),  # System.Version parts compare as numbers
        ("2.0", "2.0", 0),
        ("1.0", "1.0.0", -1),  # an absent part is older, as in System.Version
        ("V1-release", "v1-release", 0),  # otherwise text, ignoring case
        ("2025-01-01", "2025-02-01", -1),
    ],
)
def test_versions_compare_as_dtfx_compares_them(left: str, right: str, order: int) -> None:
    assert compare_versions(left, right) == order


def test_strategy_names_are_read_in_any_case_and_unknown_ones_are_refused() -> None:
    durable = {"versionMatchStrategy": "strict", "versionFailureStrategy": "fail"}
    settings = versioning_settings({"extensions": {"durableTask": durable}})
    assert settings == Versioning("", "Strict", "Fail")
    with pytest.raises(VersioningError, match="versionMatchStrategy"):
        versioning_settings({"extensions": {"durableTask": {"versionMatchStrategy": "Newest"}}})
