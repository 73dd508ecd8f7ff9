"""eventHub bindings as the dev host sees them: which function consumes which hub and consumer
group, the ``func.EventHubEvent`` objects it receives, and the bodies an eventHub output yields."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass

import azure.functions as func
from azure.functions import meta

from devhost.events.log import StoredEvent
from devhost.functions.app_index import IndexedFunction
from devhost.functions.app_settings import describe_triggers, resolve_app_settings

DEFAULT_CONSUMER_GROUP = "$Default"


@dataclass(frozen=True)
class EventHubTrigger:
    """One eventHubTrigger function, its setting references resolved."""

    function: IndexedFunction
    name: str
    param: str
    hub: str
    consumer_group: str
    many: bool


def find_eventhub_triggers(
    functions: Iterable[IndexedFunction],
    env: Mapping[str, str],
    errors: MutableMapping[str, str] | None = None,
) -> list[EventHubTrigger]:
    """The eventHubTrigger functions among ``functions`` (those in error left out, and recorded
    in ``errors``); refuse two sharing a hub and consumer group."""
    triggers = describe_triggers(
        functions, "eventHubTrigger", lambda function: _describe(function, env), errors
    )
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


def _describe(function: IndexedFunction, env: Mapping[str, str]) -> EventHubTrigger:
    trigger = function.trigger

    def resolve(value: str) -> str:
        return resolve_app_settings(value, env, f"function {function.name!r}")

    return EventHubTrigger(
        function=function,
        name=function.name,
        param=function.trigger_param,
        hub=resolve(trigger["eventHubName"]),
        consumer_group=resolve(trigger.get("consumerGroup") or DEFAULT_CONSUMER_GROUP),
        many=str(trigger.get("cardinality") or "one").lower() == "many",
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
