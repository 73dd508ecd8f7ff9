"""EventPublisher adapters: Event Hubs SDK calls, the local bus, and the choice between them."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest.mock import MagicMock

import azure.functions as func
import pytest
from aiohttp import web
from pytest_mock import MockerFixture

from adapters.eventhubs import EventHubsPublisher, build_publisher
from adapters.local_bus import LocalBusPublisher
from config import Settings
from devhost.durable.clock import Clock
from devhost.events.log import EventLog
from devhost.events.service import PUBLISH_PATH, EventServices, parse_publish_body
from devhost.functions.app_index import FunctionIndex, build_index
from devhost.functions.invoker import FunctionInvoker
from saga.errors import TechnicalFault

CONNECTION = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s"


@pytest.fixture
def producer_class(mocker: MockerFixture) -> MagicMock:
    return mocker.patch("azure.eventhub.EventHubProducerClient")


def sent_batches(producer: MagicMock) -> list[tuple[str, list[str]]]:
    return [
        (call.kwargs["partition_key"], [event.body_as_str() for event in call.args[0]])
        for call in producer.send_batch.call_args_list
    ]


def test_events_go_out_in_one_batch_per_partition_key(producer_class: MagicMock) -> None:
    publisher = EventHubsPublisher(connection=CONNECTION)

    publisher.publish("saga-events", [("o1", "a"), ("o2", "x"), ("o1", "b")])

    producer = producer_class.from_connection_string.return_value
    assert sent_batches(producer) == [("o1", ["a", "b"]), ("o2", ["x"])]
    producer_class.from_connection_string.assert_called_once_with(
        CONNECTION, eventhub_name="saga-events"
    )


def test_producer_is_created_once_per_hub_and_reused(producer_class: MagicMock) -> None:
    publisher = EventHubsPublisher(connection=CONNECTION)

    publisher.publish("saga-events", [("o1", "a")])
    publisher.publish("saga-events", [("o1", "b")])
    publisher.publish("audit", [("o1", "c")])

    hubs = [c.kwargs["eventhub_name"] for c in producer_class.from_connection_string.call_args_list]
    assert hubs == ["saga-events", "audit"]


def test_namespace_without_connection_string_uses_default_credential(
    producer_class: MagicMock, mocker: MockerFixture
) -> None:
    credential = mocker.patch("azure.identity.DefaultAzureCredential")
    publisher = EventHubsPublisher(fully_qualified_namespace="ns.servicebus.windows.net")

    publisher.publish("saga-events", [("o1", "a")])

    producer_class.assert_called_once_with(
        "ns.servicebus.windows.net", "saga-events", credential.return_value
    )


def test_send_failure_is_raised_as_a_technical_fault(producer_class: MagicMock) -> None:
    producer = producer_class.from_connection_string.return_value
    producer.send_batch.side_effect = ConnectionError("link detached")

    with pytest.raises(TechnicalFault, match="link detached"):
        EventHubsPublisher(connection=CONNECTION).publish("saga-events", [("o1", "a")])


def test_close_closes_every_open_producer(producer_class: MagicMock) -> None:
    publisher = EventHubsPublisher(connection=CONNECTION)
    publisher.publish("saga-events", [("o1", "a")])

    publisher.close()

    producer_class.from_connection_string.return_value.close.assert_called_once_with()


def test_publisher_without_connection_or_namespace_is_refused() -> None:
    with pytest.raises(ValueError, match="EVENTHUB_CONNECTION"):
        EventHubsPublisher()


def test_devhost_url_selects_the_local_bus() -> None:
    settings = Settings(devhost_eventhub_url="http://127.0.0.1:7071/runtime/webhooks/eventhubs/")

    assert isinstance(build_publisher(settings), LocalBusPublisher)


def test_without_devhost_url_event_hubs_is_used() -> None:
    settings = Settings(eventhub_connection=CONNECTION)

    assert isinstance(build_publisher(settings), EventHubsPublisher)


def test_local_bus_unreachable_is_a_technical_fault() -> None:
    publisher = LocalBusPublisher("http://127.0.0.1:9/runtime/webhooks/eventhubs/")

    with pytest.raises(TechnicalFault, match="saga-events"):
        publisher.publish("saga-events", [("o1", "a")])


def test_local_bus_round_trip_reaches_the_event_hub_trigger(tmp_path: Path) -> None:
    received: list[tuple[str | None, str]] = []
    app = func.FunctionApp()

    @app.event_hub_message_trigger(arg_name="event", event_hub_name="saga-events", connection="EH")
    async def on_event(event: func.EventHubEvent) -> None:
        received.append((event.partition_key, event.get_body().decode()))
        if len(received) == 2:
            delivered.set()

    delivered = asyncio.Event()
    asyncio.run(round_trip(build_index(app), tmp_path, delivered))

    assert received == [("o1", '{"type": "OrderCreated"}'), ("o1", '{"type": "OrderShipped"}')]


async def round_trip(index: FunctionIndex, tmp_path: Path, delivered: asyncio.Event) -> None:
    """Serve the publish endpoint on a free port and publish through it from a worker thread."""
    with ThreadPoolExecutor(1) as pool:
        invoker = FunctionInvoker(index, pool, tmp_path)
        event_log = EventLog(str(tmp_path / "events.db"))
        services = EventServices(index, invoker, Clock(), event_log, {})
        web_app = web.Application()
        services.add_routes(web_app)
        runner = web.AppRunner(web_app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        await services.start()
        port = runner.addresses[0][1]
        publisher = LocalBusPublisher(f"http://127.0.0.1:{port}{PUBLISH_PATH}")
        events = [("o1", '{"type": "OrderCreated"}'), ("o1", '{"type": "OrderShipped"}')]
        await asyncio.to_thread(publisher.publish, "saga-events", events)
        await delivered.wait()
        await services.stop()
        await runner.cleanup()


def test_local_bus_rejects_a_malformed_publish_request(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="string body"):
        parse_publish_body(b'{"events": [{"partition_key": "o1", "body": 7}]}')
    with pytest.raises(ValueError, match="events"):
        parse_publish_body(b"[]")
