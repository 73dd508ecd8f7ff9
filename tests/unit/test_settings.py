"""Settings.from_env and local.settings.json.example: one list of settings, parsed strictly."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from config import Settings

ROOT = Path(__file__).resolve().parents[2]
# Read by the Functions host itself (worker choice, task hub and checkpoint storage), never by the
# app's Settings. The Event Hub triggers' connection is the app's own EVENTHUB_CONNECTION.
FUNCTIONS_HOST_KEYS = {"FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"}
TYPED_FIELDS = [f for f in fields(Settings) if type(f.default) in (int, float, bool)]


def example_values() -> dict[str, str]:
    text = (ROOT / "local.settings.json.example").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["IsEncrypted"] is False
    return document["Values"]


def test_example_lists_every_setting_the_app_reads() -> None:
    missing = set(Settings.keys()) - set(example_values())
    assert missing == set()


def test_example_has_no_setting_that_neither_the_app_nor_the_host_reads() -> None:
    unknown = set(example_values()) - set(Settings.keys()) - FUNCTIONS_HOST_KEYS
    assert unknown == set()


def test_example_values_are_all_strings_as_func_start_requires() -> None:
    assert all(isinstance(value, str) for value in example_values().values())


def test_example_points_every_service_at_a_local_emulator() -> None:
    values = example_values()
    assert values["FUNCTIONS_WORKER_RUNTIME"] == "python"
    assert values["AzureWebJobsStorage"] == "UseDevelopmentStorage=true"
    assert values["COSMOS_ENDPOINT"] == "https://localhost:8081"
    assert values["EVENTHUB_CONNECTION"].startswith("Endpoint=sb://localhost;")
    assert values["EVENTHUB_CONNECTION"].endswith(";UseDevelopmentEmulator=true")


def test_settings_parse_the_example_for_the_emulator_path() -> None:
    settings = Settings.from_env(example_values())
    assert settings.saga_store == "cosmos"
    assert settings.cosmos_verify_tls is False
    assert settings.eventhub_name == "saga-events"
    assert settings.eventhub_fully_qualified_namespace == ""


def test_defaults_give_an_embedded_sqlite_config() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.saga_store == "sqlite"
    assert settings.saga_sqlite_path


def test_an_empty_value_means_the_default() -> None:
    assert Settings.from_env({"SAGA_MAX_ITEMS": ""}).saga_max_items == Settings().saga_max_items


@pytest.mark.parametrize("name", [f.name.upper() for f in TYPED_FIELDS])
def test_an_unparsable_value_is_rejected_naming_its_setting(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: "not-a-value"})


def test_an_unknown_store_is_rejected_naming_saga_store() -> None:
    with pytest.raises(ValueError, match="SAGA_STORE"):
        Settings.from_env({"SAGA_STORE": "postgres"})


def test_the_cosmos_store_without_an_endpoint_is_rejected_naming_cosmos_endpoint() -> None:
    with pytest.raises(ValueError, match="COSMOS_ENDPOINT"):
        Settings.from_env({"SAGA_STORE": "cosmos"})
