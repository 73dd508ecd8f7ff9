"""eventHub bindings as the dev host sees them: which function consumes which hub and consumer
group, the ``func.EventHubEvent`` objects it receives, and what its eventHub outputs produce."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from azure.functions import meta

from devhost.app_settings import resolve_app_settings
from devhost.eventlog import StoredEvent

DEFAULT_CONSUMER_GROUP = "$Default"


@dataclass(frozen=True)
class EventHubTrigger:
    """One eventHubTrigger function, its setting references resolved."""

    function: Any  # azure.functions Function, as the app indexes it
    name: str
    param: str
    hub: str
    consumer_group: str
    many: bool
    outputs: tuple[tuple[str, str], ...]  # (parameter, hub) per eventHub output binding


def find_eventhub_triggers(
    functions: Iterable[Any], env: Mapping[str, str]
) -> list[EventHubTrigger]:
    """The app's eventHubTrigger functions; refuse two that share a hub and consumer group."""
    triggers = [
        _describe(function, env)
        for function in functions
        if function.get_trigger().type == "eventHubTrigger"
    ]
    _refuse_shared_consumer_groups(triggers)
    return triggers


def to_events(trigger: EventHubTrigger, batch: list[StoredEvent]) -> list[func.EventHubEvent]:
    """The trigger argument for stored events, as the Python worker builds it."""
    return [
        func.EventHubEvent(
            body=event.body.encode(),
            trigger_metadata={"PartitionContext": _partition_context(trigger, event.partition)},
            enqueued_time=event.enqueued_time,
            partition_key=event.partition_key,
            sequence_number=event.sequence_number,
            offset=str(event.offset),
        )
        for event in batch
    ]


class OutValue(func.Out[object]):
    """The ``func.Out`` handed to an output binding parameter; the host reads it after the call."""

    def __init__(self) -> None:
        self._value: object = None

    def set(self, val: object) -> None:
        self._value = val

    def get(self) -> object:
        return self._value


def output_bodies(value: object) -> list[str]:
    """Event bodies an eventHub output was set to: nothing, one value, or a list of values."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_body(item) for item in items]


def _body(item: object) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, bytes):
        return item.decode()
    return json.dumps(item)


def _describe(function: Any, env: Mapping[str, str]) -> EventHubTrigger:
    name = function.get_function_name()
    trigger = function.get_trigger()

    def resolve(value: str) -> str:
        return resolve_app_settings(value, env, f"function {name!r}")

    cardinality = getattr(trigger.cardinality, "value", trigger.cardinality) or "one"
    outputs = tuple(
        (binding.name, resolve(binding.event_hub_name))
        for binding in function.get_bindings()
        if binding.type == "eventHub"
    )
    return EventHubTrigger(
        function=function,
        name=name,
        param=trigger.name,
        hub=resolve(trigger.event_hub_name),
        consumer_group=resolve(trigger.consumer_group or DEFAULT_CONSUMER_GROUP),
        many=str(cardinality).lower() == "many",
        outputs=outputs,
    )


def _refuse_shared_consumer_groups(triggers: list[EventHubTrigger]) -> None:
    # Azure lets such functions compete for partitions, so each sees only part of the events.
    owners: dict[tuple[str, str], str] = {}
    for trigger in triggers:
        owner = owners.setdefault((trigger.hub, trigger.consumer_group), trigger.name)
        if owner != trigger.name:
            raise ValueError(
                f"functions {owner!r} and {trigger.name!r} both read event hub {trigger.hub!r} with"
                f" consumer group {trigger.consumer_group!r}; in Azure they would compete for its"
                " events, so give each function its own consumer_group"
            )


def _partition_context(trigger: EventHubTrigger, partition: int) -> meta.Datum:
    context = {
        "ConsumerGroup": trigger.consumer_group,
        "EventHubName": trigger.hub,
        "PartitionId": str(partition),
    }
    return meta.Datum(json.dumps(context), "json")
