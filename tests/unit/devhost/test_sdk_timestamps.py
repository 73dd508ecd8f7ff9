"""The fast history timestamp parser gives exactly what dateutil gives, and the SDK uses it."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
from dateutil.parser import parse as dateutil_parse

from devhost.durable import history, sdk_timestamps

HOST_STAMPS = [
    history.iso(datetime(2026, 3, 29, 1, 30, 0, 0, tzinfo=UTC)),
    history.iso(datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC)),
    history.iso(datetime.now(UTC)),
]


@pytest.mark.parametrize("text", HOST_STAMPS)
def test_a_host_timestamp_parses_to_what_dateutil_gives_tzinfo_included(text: str) -> None:
    parsed, expected = sdk_timestamps.fast_parser()(text), dateutil_parse(text)
    assert parsed == expected
    assert type(parsed.tzinfo) is type(expected.tzinfo)
    assert parsed.utcoffset() == expected.utcoffset()
    assert parsed.isoformat() == expected.isoformat()


@pytest.mark.parametrize(
    "text", ["2026-11-23T10:00:00.1234567Z", "2026-11-23T10:00:00+02:00", "2026-11-23 10:00"]
)
def test_other_formats_are_left_to_dateutil(text: str) -> None:
    seen: list[str] = []

    def fallback(value: str) -> datetime:
        seen.append(value)
        return dateutil_parse(value)

    parser = sdk_timestamps.fast_parser(fallback)
    seen.clear()  # the parser asked the fallback once, for the tzinfo of a "Z" stamp
    assert parser(text) == dateutil_parse(text)
    assert seen == [text]


def test_after_install_the_sdk_history_events_use_the_fast_parser() -> None:
    sdk_timestamps.install()
    sdk_timestamps.install()  # idempotent
    from azure.durable_functions.models.history import HistoryEvent

    module = sys.modules[HistoryEvent.__module__]
    assert module.dt_parse is not dateutil_parse
    stamp = HOST_STAMPS[1]
    event = HistoryEvent(EventType=12, EventId=-1, IsPlayed=False, Timestamp=stamp)
    assert event.timestamp == dateutil_parse(stamp)
