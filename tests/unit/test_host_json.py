"""host.json: every key is one the Functions host knows; the values the app relies on are set."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config import Settings

ROOT = Path(__file__).resolve().parents[2]
HOST_JSON = ROOT / "host.json"

Check = Callable[[Any], bool]
LOG_LEVELS = {"Critical", "Debug", "Error", "Information", "None", "Trace", "Warning"}
TIMESPAN = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
# Durable task hub names: letters and digits, starting with a letter, 3 to 45 characters.
TASK_HUB_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{2,44}$")


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def one_of(*allowed: str) -> Check:
    return lambda value: value in allowed


def timeout(value: Any) -> bool:
    return isinstance(value, str) and (value == "-1" or bool(TIMESPAN.match(value)))


ANY_KEY = "*"  # an object whose keys are free-form (log categories) but whose values are checked

# The subset of https://json.schemastore.org/host.json (definition "version-2": extensionBundle,
# functionTimeout, logging, extensions.http / durableTask / eventHubs, first eventHubs variant)
# that this app may use. Every listed key and value rule is copied from that schema, except one:
# durableTask.overridableExistingInstanceStates is missing from the schema (which lags the
# extension) but is a DurableTaskOptions property, values AnyState | NonRunningStates
# (Azure/azure-functions-durable-extension, src/WebJobs.Extensions.DurableTask/Options/
# DurableTaskOptions.cs); the host binds host.json to that class by property name.
SCHEMA_SUBSET: dict[str, Any] = {
    "version": one_of("2.0"),
    "functionTimeout": timeout,
    "extensionBundle": {"id": is_str, "version": is_str},
    "logging": {
        "fileLoggingMode": one_of("never", "always", "debugOnly"),
        "logLevel": {ANY_KEY: one_of(*LOG_LEVELS)},
        "applicationInsights": {
            "samplingSettings": {
                "isEnabled": is_bool,
                "maxTelemetryItemsPerSecond": is_int,
                "excludedTypes": is_str,
                "includedTypes": is_str,
            },
            "enableLiveMetrics": is_bool,
            "enableDependencyTracking": is_bool,
        },
    },
    "extensions": {
        "http": {
            "routePrefix": is_str,
            "maxConcurrentRequests": is_int,
            "maxOutstandingRequests": is_int,
            "dynamicThrottlesEnabled": is_bool,
        },
        "durableTask": {
            "hubName": is_str,
            "maxConcurrentActivityFunctions": is_int,
            "maxConcurrentOrchestratorFunctions": is_int,
            "extendedSessionsEnabled": is_bool,
            "useGracefulShutdown": is_bool,
            "tracing": {"traceInputsAndOutputs": is_bool, "traceReplayEvents": is_bool},
            "overridableExistingInstanceStates": one_of("AnyState", "NonRunningStates"),
        },
        "eventHubs": {
            "maxEventBatchSize": lambda v: is_int(v) and v >= 1,
            "batchCheckpointFrequency": is_int,
            "prefetchCount": is_int,
            "targetUnprocessedEventThreshold": lambda v: is_int(v) and v >= 1,
            "initialOffsetOptions": {
                "type": one_of("fromStart", "fromEnd", "fromEnqueuedTime"),
                "enqueuedTimeUtc": is_str,
            },
        },
    },
}


def schema_violations(doc: dict[str, Any], schema: dict[str, Any], path: str = "") -> list[str]:
    """Each key path of ``doc`` that the schema subset does not allow, or whose value it rejects."""
    found: list[str] = []
    for key, value in doc.items():
        where = f"{path}.{key}" if path else key
        rule = schema.get(key, schema.get(ANY_KEY))
        if rule is None:
            found.append(f"unknown key {where}")
        elif isinstance(rule, dict):
            if isinstance(value, dict):
                found += schema_violations(value, rule, where)
            else:
                found.append(f"{where} must be an object")
        elif not rule(value):
            found.append(f"bad value at {where}: {value!r}")
    return found


def host() -> dict[str, Any]:
    return json.loads(HOST_JSON.read_text(encoding="utf-8"))


def test_host_json_is_a_single_json_object() -> None:
    assert isinstance(host(), dict)


def test_every_host_json_key_is_allowed_by_the_schema() -> None:
    assert schema_violations(host(), SCHEMA_SUBSET) == []


def test_schema_check_reports_a_misspelt_key_and_a_bad_value() -> None:
    doc = {"version": "3.0", "extensions": {"durableTask": {"hubname": "X"}}}
    assert schema_violations(doc, SCHEMA_SUBSET) == [
        "bad value at version: '3.0'",
        "unknown key extensions.durableTask.hubname",
    ]


def test_host_json_uses_schema_version_2_and_the_v4_extension_bundle() -> None:
    assert host()["version"] == "2.0"
    assert host()["extensionBundle"] == {
        "id": "Microsoft.Azure.Functions.ExtensionBundle",
        "version": "[4.*, 5.0.0)",
    }


def test_task_hub_name_comes_from_a_setting_the_app_declares() -> None:
    hub = host()["extensions"]["durableTask"]["hubName"]
    match = re.fullmatch(r"%([A-Z_]+)%", hub)
    assert match, hub
    declared = Settings.keys()
    assert match.group(1) in declared
    assert TASK_HUB_NAME.match(Settings().taskhub_name)


def test_starting_an_instance_id_that_is_running_fails_instead_of_replacing_it() -> None:
    durable = host()["extensions"]["durableTask"]
    assert durable["overridableExistingInstanceStates"] == "NonRunningStates"
    assert durable["tracing"]["traceInputsAndOutputs"] is False


def test_event_hubs_trigger_checkpoints_every_batch_and_starts_from_the_oldest_event() -> None:
    hubs = host()["extensions"]["eventHubs"]
    assert hubs["batchCheckpointFrequency"] == 1
    assert hubs["initialOffsetOptions"] == {"type": "fromStart"}
    assert 1 <= hubs["maxEventBatchSize"] <= hubs["prefetchCount"]


def test_http_functions_are_served_under_api() -> None:
    assert host()["extensions"]["http"]["routePrefix"] == "api"


def test_sampling_never_drops_requests_or_exceptions() -> None:
    sampling = host()["logging"]["applicationInsights"]["samplingSettings"]
    assert set(sampling["excludedTypes"].split(";")) >= {"Request", "Exception"}


def test_function_timeout_fits_the_consumption_plan_maximum_of_ten_minutes() -> None:
    hours, minutes, seconds = map(int, host()["functionTimeout"].split(":"))
    assert 0 < hours * 3600 + minutes * 60 + seconds <= 600
