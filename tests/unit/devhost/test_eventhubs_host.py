"""The event services inside a real DevHost: the bindings' connection setting pointed at the local
Event Hubs, its REST publish endpoint, output bindings through the host's invoker, and timer
triggers on virtual time."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from adapters.eventhubs_rest import EventHubsRestPublisher
from devhost.durable.clock import Clock
from devhost.events.log import EventLog
from devhost.events.service import EventServices, event_services
from devhost.functions.app_index import AppIndexError, build_index
from devhost.functions.invoker import FunctionInvoker
from devhost.server import DevHost, HostOptions

APP = """
import threading
import azure.functions as func

app = func.FunctionApp()
seen = []
done = threading.Event()


def record(item):
    seen.append(item)
    if len(seen) == WANTED:
        done.set()


@app.event_hub_message_trigger(arg_name="event", event_hub_name="orders", connection="EH")
@app.event_hub_output(arg_name="out", event_hub_name="shipped", connection="EH")
def on_order(event: func.EventHubEvent, out: func.Out[str]) -> None:
    out.set("shipped:" + event.get_body().decode())


@app.event_hub_message_trigger(
    arg_name="event", event_hub_name="shipped", connection="EH", consumer_group="audit"
)
def on_shipped(event: func.EventHubEvent) -> None:
    record(event.get_body().decode())


@app.timer_trigger(arg_name="timer", schedule="%HOURLY%")
def hourly(timer: func.TimerRequest) -> None:
    record("tick")
"""


@pytest.fixture
def app_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: Any) -> Iterator[str]:
    """A fresh copy of APP under a module name of its own (the import system caches by name)."""
    name = f"eventhubs_host_app_{request.node.name}"
    (tmp_path / f"{name}.py").write_text(APP.replace("WANTED", str(request.param)))
    monkeypatch.setenv("EH", "Endpoint=sb://elsewhere.invalid/;SharedAccessKey=x")  # restored
    monkeypatch.setenv("HOURLY", "0 0 * * * *")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name
    sys.modules.pop(name, None)


def run_host(tmp_path: Path, module: str, time: str, work: Any) -> Any:
    """Start a DevHost with only the event services, run ``work()`` in a thread, stop."""

    async def main() -> Any:
        options = HostOptions(
            f"{module}:app", "127.0.0.1", 0, tmp_path / "state.db", time, tmp_path
        )
        host = DevHost(options, factories=[event_services])
        await host.start()
        try:
            return await asyncio.to_thread(work, importlib.import_module(module))
        finally:
            await host.stop()

    return asyncio.run(main())


@pytest.mark.parametrize("app_module", [1], indirect=True)
def test_published_event_flows_through_an_output_binding_to_a_second_hub(
    tmp_path: Path, app_module: str
) -> None:
    def publish_and_wait(app: Any) -> list[str]:
        EventHubsRestPublisher(os.environ["EH"]).publish("orders", [("o1", "a")])
        assert app.done.wait(timeout=10)
        return list(app.seen)

    seen = run_host(tmp_path, app_module, "real", publish_and_wait)

    assert seen == ["shipped:a"]
    assert os.environ["EH"].startswith("Endpoint=sb://elsewhere")  # the stopped host put it back


@pytest.mark.parametrize("app_module", [3], indirect=True)
def test_hourly_timer_fires_repeatedly_on_virtual_time(tmp_path: Path, app_module: str) -> None:
    def wait(app: Any) -> list[str]:
        assert app.done.wait(timeout=10)
        return list(app.seen)

    assert run_host(tmp_path, app_module, "virtual", wait)[:3] == ["tick", "tick", "tick"]


def test_two_functions_on_one_consumer_group_make_the_app_unhostable(tmp_path: Path) -> None:
    app = func.FunctionApp()
    for name in ("audit", "billing"):

        def handler(event: func.EventHubEvent) -> None: ...

        handler.__name__ = name
        app.event_hub_message_trigger(arg_name="event", event_hub_name="orders", connection="EH")(
            handler
        )
    index = build_index(app)

    with ThreadPoolExecutor(1) as pool, pytest.raises(AppIndexError, match="'audit' and 'billing'"):
        invoker = FunctionInvoker(index, pool, tmp_path)
        EventServices(index, invoker, Clock(), EventLog(":memory:"), {})
