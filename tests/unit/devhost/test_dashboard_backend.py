"""The dashboard's server side: the write guard, the instance summary, the delivery log and the
paging tokens, on fakes and SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from aiohttp.test_utils import make_mocked_request

from devhost.dashboard.event_view import key_events
from devhost.dashboard.guard import binds_loopback, refusal
from devhost.dashboard.instance_stats import instance_summary
from devhost.events.deliveries import DeliveryLog
from devhost.events.log import EventLog
from devhost.management.paging import BadContinuationToken, decode_token, encode_token, page_from
from tools.dashboard_bench.seed import seed_state


def request_from(
    peer: str,
    origin: str | None,
    method: str = "POST",
    path: str = "/runtime/webhooks/durabletask/instances/x/terminate",
) -> object:
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (peer, 5000) if name == "peername" else default
    )
    headers = {"Host": "127.0.0.1:7071", **({"Origin": origin} if origin else {})}
    return make_mocked_request(
        method,
        path,
        headers=headers,
        transport=transport,
    )


def test_a_browser_write_from_another_machine_is_refused() -> None:
    reason = refusal(request_from("192.0.2.7", "http://127.0.0.1:7071"))  # type: ignore[arg-type]
    assert reason is not None and "loopback" in reason


def test_a_browser_write_from_this_machine_and_its_own_page_passes() -> None:
    assert refusal(request_from("127.0.0.1", "http://127.0.0.1:7071")) is None  # type: ignore[arg-type]


def test_writes_without_an_origin_and_reads_are_not_the_dashboards_and_pass() -> None:
    assert refusal(request_from("192.0.2.7", None)) is None  # type: ignore[arg-type]
    assert refusal(request_from("192.0.2.7", "http://x", "GET")) is None  # type: ignore[arg-type]


def test_the_apps_own_http_functions_are_not_guarded() -> None:
    request = request_from("192.0.2.7", "http://x", path="/api/saga/sequential")
    assert refusal(request) is None  # type: ignore[arg-type]


def test_only_loopback_addresses_count_as_loopback_binds() -> None:
    assert binds_loopback("127.0.0.1") and binds_loopback("::1") and binds_loopback("localhost")
    assert not binds_loopback("0.0.0.0") and not binds_loopback("")


def test_the_summary_counts_statuses_names_and_buckets_durations(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    seed_state(state, 200)
    summary = instance_summary(sqlite3.connect(state))

    assert summary["total"] == 200
    assert summary["counts"] == {"Completed": 197, "Failed": 3}
    assert summary["names"] == {"parallel_saga": 100, "sequential_saga": 100}
    assert sum(b["count"] for b in summary["durations"]) == 200
    assert [b["label"] for b in summary["durations"]][:2] == ["< 10 ms", "< 100 ms"]


def test_a_continuation_token_round_trips_and_a_forged_one_is_refused() -> None:
    token = encode_token("2026-01-01T00:00:00.000000Z", "i-1")
    assert decode_token(token) == ("2026-01-01T00:00:00.000000Z", "i-1")
    with pytest.raises(BadContinuationToken):
        decode_token("bm90IGpzb24=")
    with pytest.raises(ValueError, match="top"):
        page_from("-1", None, False)


NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_an_event_published_during_a_delivery_is_credited_to_that_consumer_group(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "events.db")
    log, deliveries = EventLog(path, now=lambda: NOW), DeliveryLog(path, now=lambda: NOW)
    created = log.append("hub", [("order-1", '{"type": "OrderCreated"}')])
    handle = deliveries.begin("hub", "inventory", "on_created", created)
    reserved = log.append("hub", [("order-1", '{"type": "Reserved"}'), ("order-2", "{}")])
    deliveries.published("hub", reserved)
    deliveries.end(handle, None)

    view = key_events(sqlite3.connect(path), "hub", "order-1", ["inventory", "payment"])

    assert [e["type"] for e in view["events"]] == ["OrderCreated", "Reserved"]
    assert view["events"][0]["handled_by"] == ["inventory"]
    assert view["events"][1]["published_by"][0]["consumer_group"] == "inventory"
    assert view["events"][0]["deliveries"][0]["consumer_group"] == "inventory"
    other = key_events(sqlite3.connect(path), "hub", "order-2", [])
    assert other["events"][0]["published_by"] == []  # another key: not this delivery's doing
