"""tools/validate_app.py's settings check (the indexing itself needs the opt-in worker venv)."""

from __future__ import annotations

from tools.validate_app import unset_settings

TRIGGER = {"type": "eventHubTrigger", "connection": "EventHubConnection", "eventHubName": "saga"}


def test_a_connection_set_as_a_connection_string_is_satisfied() -> None:
    assert unset_settings([TRIGGER], {"EventHubConnection": "Endpoint=sb://localhost;"}) == set()


def test_a_connection_set_in_its_identity_form_is_satisfied() -> None:
    values = {"EventHubConnection__fullyQualifiedNamespace": "ns.servicebus.windows.net"}
    assert unset_settings([TRIGGER], values) == set()


def test_a_missing_connection_is_reported_by_name() -> None:
    assert unset_settings([TRIGGER], {}) == {"EventHubConnection"}


def test_a_percent_expression_needs_its_setting() -> None:
    binding = {"type": "eventHubTrigger", "eventHubName": "%EVENTHUB_NAME%"}
    assert unset_settings([binding], {}) == {"EVENTHUB_NAME"}
    assert unset_settings([binding], {"EVENTHUB_NAME": "saga-events"}) == set()
