"""What the Functions host reads beside the app: host.json (route prefix, task hub name, entity
batch size) and local.settings.json (app settings, exported to the environment unless already
set)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from devhost.functions.app_index import AppIndexError

DEFAULT_TASK_HUB = "TestHubName"


class HostConfigError(ValueError):
    """host.json cannot be used as it is; the message says where."""


def read_host_json(app_dir: Path) -> dict[str, Any]:
    path = app_dir / "host.json"
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text()))
    except ValueError as error:
        raise HostConfigError(f"{path} is not valid JSON: {error}") from None


def route_prefix(host_json: dict[str, Any]) -> str:
    return str(host_json.get("extensions", {}).get("http", {}).get("routePrefix", "api"))


def task_hub(host_json: dict[str, Any]) -> str:
    """hubName with %SETTING% references resolved; the Core Tools default when unset."""
    name = host_json.get("extensions", {}).get("durableTask", {}).get("hubName", "")
    resolved = re.sub(r"%([^%]+)%", lambda m: os.environ.get(m.group(1), ""), str(name))
    return resolved or DEFAULT_TASK_HUB


def replaces_running_instances(host_json: dict[str, Any]) -> bool:
    """overridableExistingInstanceStates: AnyState (the default) or NonRunningStates."""
    durable = host_json.get("extensions", {}).get("durableTask", {})
    return durable.get("overridableExistingInstanceStates", "AnyState") != "NonRunningStates"


def entity_batch_size(host_json: dict[str, Any]) -> int:
    """maxEntityOperationBatchSize: operations per entity batch at most (50 by default, Azure's
    default on the Consumption plan). Anything but a positive integer fails the start."""
    durable = host_json.get("extensions", {}).get("durableTask", {})
    size = durable.get("maxEntityOperationBatchSize", 50)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise AppIndexError(
            "host.json extensions.durableTask.maxEntityOperationBatchSize must be a positive "
            f"integer, not {size!r}"
        )
    return size


def load_local_settings(app_dir: Path) -> None:
    """Export local.settings.json "Values" as `func start` does; the real environment wins."""
    path = app_dir / "local.settings.json"
    if path.exists():
        for key, value in json.loads(path.read_text()).get("Values", {}).items():
            os.environ.setdefault(key, str(value))
