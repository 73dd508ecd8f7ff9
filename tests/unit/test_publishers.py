"""EventPublisher adapters: Event Hubs SDK calls, the Event Hubs REST API (against the dev host's
local Event Hubs), and the choice between them."""

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
from adapters.eventhubs_rest import EventHubsRestPublisher, sas_token
from config import Settings
from devhost.durable.clock import Clock
from devhost.events.log import EventLog
from devhost.events.rest_api import local_connection, parse_batch
from devhost.events.service import EventServices
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


def test_an_http_endpoint_selects_the_rest_api() -> None:
    settings = Settings(eventhub_connection=local_connection("http://127.0.0.1:7071"))

    assert isinstance(build_publisher(settings), EventHubsRestPublisher)


def test_an_sb_endpoint_selects_the_sdk() -> None:
    settings = Settings(eventhub_connection=CONNECTION)

    assert isinstance(build_publisher(settings), EventHubsPublisher)


def test_the_rest_publisher_refuses_an_amqp_endpoint() -> None:
    with pytest.raises(ValueError, match="EVENTHUB_CONNECTION"):
        EventHubsRestPublisher(CONNECTION)


def test_an_unreachable_rest_endpoint_is_a_technical_fault() -> None:
    publisher = EventHubsRestPublisher(local_connection("http://127.0.0.1:9"))

    with pytest.raises(TechnicalFault, match="saga-events"):
        publisher.publish("saga-events", [("o1", "a")])


def test_the_sas_token_is_signed_as_event_hubs_documents_it() -> None:
    token = sas_token("https://ns.servicebus.windows.net/hub", "send", "secret", 1_700_000_000)

    resource = "https%3A%2F%2Fns.servicebus.windows.net%2Fhub"
    # printf '<resource>\n1700000000' | openssl dgst -sha256 -hmac secret -binary | base64
    assert token == (
        f"SharedAccessSignature sr={resource}"
        "&sig=ELRDVliHGymNzuWwVgl0TFV98WzNG7SGTPcU0x%2BAvH8%3D&se=1700000000&skn=send"
    )


def test_rest_round_trip_reaches_the_event_hub_trigger(tmp_path: Path) -> None:
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
        publisher = EventHubsRestPublisher(local_connection(f"http://127.0.0.1:{port}"))
        events = [("o1", '{"type": "OrderCreated"}'), ("o1", '{"type": "OrderShipped"}')]
        await asyncio.to_thread(publisher.publish, "saga-events", events)
        await delivered.wait()
        await services.stop()
        await runner.cleanup()


def test_the_local_endpoint_rejects_a_malformed_batch() -> None:
    with pytest.raises(ValueError, match="string Body"):
        parse_batch(b'[{"Body": 7, "BrokerProperties": {"PartitionKey": "o1"}}]')
    with pytest.raises(ValueError, match="PartitionKey must be a string"):
        parse_batch(b'[{"Body": "a", "BrokerProperties": {"PartitionKey": 7}}]')
    with pytest.raises(ValueError, match="JSON array"):
        parse_batch(b'{"events": []}')
