"""Delivery from the local event log to eventHubTrigger functions, with Azure's semantics."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from devhost.events.bindings import find_eventhub_triggers
from devhost.events.hubs import LocalEventHubs
from devhost.events.log import EventLog, partition_for
from devhost.functions.app_index import FunctionIndex, build_index
from devhost.functions.invoker import FunctionInvoker

Received = list[tuple[str, list[func.EventHubEvent]]]


class Busy:
    """The clock's busy counter, with a way to wait until nothing is pending."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()

    def hold(self) -> None:
        self.count += 1
        self.idle.clear()

    def release(self) -> None:
        self.count -= 1
        if self.count == 0:
            self.idle.set()


def recording_app(received: Received, **consumers: dict[str, Any]) -> FunctionIndex:
    """An app with one recording eventHubTrigger function per ``name=trigger options``."""
    app = func.FunctionApp()
    for name, options in consumers.items():

        def record(events: Any, name: str = name) -> None:
            received.append((name, events if isinstance(events, list) else [events]))

        record.__name__ = name
        app.event_hub_message_trigger(arg_name="events", connection="EH", **options)(record)
    return build_index(app)


def triggers(index: FunctionIndex, env: dict[str, str] | None = None) -> list[Any]:
    return find_eventhub_triggers(index.functions.values(), env or {})


def run(
    log: EventLog,
    index: FunctionIndex,
    scenario: Callable[[LocalEventHubs, Busy], Coroutine[Any, Any, None]],
    batch_size: int = 10,
    env: dict[str, str] | None = None,
) -> None:
    """Start the hubs on the host's invoker, run ``scenario``, wait until every published event
    is delivered, stop."""

    async def main() -> None:
        busy = Busy()
        with ThreadPoolExecutor(1) as pool:
            invoker = FunctionInvoker(index, pool, Path.cwd())
            hubs = LocalEventHubs(
                log, triggers(index, env), invoker.invoke, busy, env or {}, batch_size
            )
            invoker.register_output_sink("eventHub", hubs.output_sink)
            await hubs.start()
            await scenario(hubs, busy)
            await busy.idle.wait()
            await hubs.stop()

    asyncio.run(main())


def publishing(hub: str, events: Sequence[tuple[str | None, str]]) -> Callable[..., Any]:
    async def scenario(hubs: LocalEventHubs, busy: Busy) -> None:
        hubs.publish(hub, events)

    return scenario


@pytest.fixture
def log(tmp_path: Path) -> EventLog:
    return EventLog(str(tmp_path / "events.db"))


def bodies(received: Received, name: str | None = None) -> list[str]:
    return [e.get_body().decode() for n, batch in received if name in (None, n) for e in batch]


def test_many_cardinality_receives_the_batch_as_event_objects(log: EventLog) -> None:
    received: Received = []
    functions = recording_app(received, f={"event_hub_name": "orders", "cardinality": "many"})

    run(log, functions, publishing("orders", [("o1", "a"), ("o1", "b"), ("o1", "c")]))

    [(_, batch)] = received
    assert [e.get_body() for e in batch] == [b"a", b"b", b"c"]
    assert [e.sequence_number for e in batch] == [0, 1, 2]
    assert {e.partition_key for e in batch} == {"o1"}
    assert batch[0].metadata == {
        "PartitionContext": {
            "ConsumerGroup": "$Default",
            "EventHubName": "orders",
            "PartitionId": str(partition_for("o1", 4)),
        }
    }


def test_batches_hold_at_most_the_batch_size(log: EventLog) -> None:
    received: Received = []
    functions = recording_app(received, f={"event_hub_name": "orders", "cardinality": "many"})

    run(log, functions, publishing("orders", [("o1", str(n)) for n in range(5)]), batch_size=2)

    assert [len(batch) for _, batch in received] == [2, 2, 1]


def test_events_of_each_key_arrive_in_publish_order(log: EventLog) -> None:
    received: Received = []
    functions = recording_app(received, f={"event_hub_name": "orders"})
    events = [(f"o{n % 7}", f"o{n % 7}:{n}") for n in range(60)]

    run(log, functions, publishing("orders", events))

    arrived = bodies(received)
    assert sorted(arrived) == sorted(body for _, body in events)
    for key in {key for key, _ in events}:
        assert [b for b in arrived if b.startswith(f"{key}:")] == [
            body for k, body in events if k == key
        ]


def test_each_consumer_group_sees_every_event(log: EventLog) -> None:
    received: Received = []
    functions = recording_app(
        received,
        audit={"event_hub_name": "orders", "consumer_group": "audit"},
        billing={"event_hub_name": "orders", "consumer_group": "billing"},
    )

    run(log, functions, publishing("orders", [("o1", "a"), ("o2", "b")]))

    assert sorted(bodies(received, "audit")) == ["a", "b"]
    assert sorted(bodies(received, "billing")) == ["a", "b"]


def test_two_functions_sharing_a_consumer_group_are_refused() -> None:
    functions = recording_app([], a={"event_hub_name": "orders"}, b={"event_hub_name": "orders"})

    with pytest.raises(ValueError, match="'a' and 'b' both read event hub 'orders'"):
        triggers(functions)


def test_hub_name_setting_reference_is_resolved_from_the_environment(log: EventLog) -> None:
    received: Received = []
    functions = recording_app(received, f={"event_hub_name": "%EVENTHUB_NAME%"})

    run(
        log,
        functions,
        publishing("saga-events", [("o1", "a")]),
        env={"EVENTHUB_NAME": "saga-events"},
    )

    assert bodies(received) == ["a"]


def test_function_with_an_unset_setting_is_in_error_and_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    functions = recording_app(
        [], broken={"event_hub_name": "%MISSING%"}, fine={"event_hub_name": "orders"}
    )

    with caplog.at_level(logging.ERROR, logger="devhost"):
        found = triggers(functions)

    assert [trigger.name for trigger in found] == ["fine"]
    assert "function 'broken': app setting 'MISSING'" in caplog.text
    assert "will not run" in caplog.text


def test_events_in_a_raising_batch_are_checkpointed_and_not_redelivered(
    log: EventLog, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[list[str]] = []
    app = func.FunctionApp()

    @app.event_hub_message_trigger(
        arg_name="events", event_hub_name="orders", connection="EH", cardinality="many"
    )
    def fragile(events: list[func.EventHubEvent]) -> None:
        calls.append([e.get_body().decode() for e in events])
        raise RuntimeError("handler bug")

    functions = build_index(app)
    with caplog.at_level(logging.ERROR, logger="devhost.events.hubs"):
        run(log, functions, publishing("orders", [("o1", "a"), ("o1", "b")]))
    run(EventLog(str(tmp_path / "events.db")), functions, publishing("orders", [("o1", "c")]))

    assert calls == [["a", "b"], ["c"]]
    assert "function fragile failed" in caplog.text
    assert "handler bug" in caplog.text


def test_batch_cut_short_by_a_crash_is_delivered_again_after_restart(
    log: EventLog, tmp_path: Path
) -> None:
    calls: list[list[str]] = []
    stuck = asyncio.Event()

    async def hang_then_crash(hubs: LocalEventHubs) -> None:
        hubs.publish("orders", [("o1", "a"), ("o1", "b")])
        await stuck.wait()  # the first call is under way when the host goes down

    async def hanging_invoke(function: Any, kwargs: dict[str, Any]) -> object:
        calls.append([e.get_body().decode() for e in kwargs["events"]])
        stuck.set()
        await asyncio.Event().wait()
        return None

    async def crash_mid_batch() -> None:
        functions = recording_app([], f={"event_hub_name": "orders", "cardinality": "many"})
        hubs = LocalEventHubs(log, triggers(functions), hanging_invoke, Busy(), {})
        await hubs.start()
        await hang_then_crash(hubs)
        await hubs.stop()

    asyncio.run(crash_mid_batch())
    received: Received = []
    functions = recording_app(received, f={"event_hub_name": "orders", "cardinality": "many"})
    run(EventLog(str(tmp_path / "events.db")), functions, publishing("orders", []))

    assert calls == [["a", "b"]]
    assert bodies(received) == ["a", "b"]


def test_event_hub_output_binding_appends_to_the_output_hub(log: EventLog) -> None:
    seen: list[str] = []
    app = func.FunctionApp()

    @app.event_hub_message_trigger(arg_name="event", event_hub_name="orders", connection="EH")
    @app.event_hub_output(arg_name="out", event_hub_name="totals", connection="EH")
    def forward(event: func.EventHubEvent, out: func.Out[str]) -> None:
        out.set(json.dumps({"seen": event.get_body().decode()}))

    @app.event_hub_message_trigger(arg_name="event", event_hub_name="totals", connection="EH")
    def total(event: func.EventHubEvent) -> None:
        seen.append(event.get_body().decode())

    run(log, build_index(app), publishing("orders", [("o1", "a")]))

    assert seen == ['{"seen": "a"}']


def test_a_pending_event_holds_the_clock_until_it_is_delivered(log: EventLog) -> None:
    counts: list[int] = []

    async def scenario(hubs: LocalEventHubs, busy: Busy) -> None:
        await busy.idle.wait()
        counts.append(busy.count)
        hubs.publish("orders", [("o1", "a")])
        counts.append(busy.count)
        await busy.idle.wait()
        counts.append(busy.count)

    run(log, recording_app([], f={"event_hub_name": "orders"}), scenario)

    assert counts == [0, 1, 0]


def test_a_failing_event_log_is_reported_not_silently_ignored(
    log: EventLog, caplog: pytest.LogCaptureFixture
) -> None:
    log.close()

    async def nothing(hubs: LocalEventHubs, busy: Busy) -> None:
        return None

    with caplog.at_level(logging.ERROR, logger="devhost.events.hubs"):
        run(log, recording_app([], f={"event_hub_name": "orders"}), nothing)

    assert "f stopped reading orders #0" in caplog.text
