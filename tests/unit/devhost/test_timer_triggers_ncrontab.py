"""NCRONTAB parsing and next-occurrence computation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devhost.events.ncrontab import parse_schedule

NOON = datetime(2024, 5, 15, 12, 0, 0, tzinfo=UTC)  # a Wednesday


def occurrences(expression: str, start: datetime, count: int) -> list[datetime]:
    schedule, result, moment = parse_schedule(expression), [], start
    for _ in range(count):
        moment = schedule.next_after(moment)
        result.append(moment)
    return result


def test_every_five_minutes_fires_on_the_five_minute_marks() -> None:
    times = occurrences("0 */5 * * * *", NOON, 3)

    assert [t.strftime("%H:%M:%S") for t in times] == ["12:05:00", "12:10:00", "12:15:00"]


def test_next_occurrence_is_strictly_after_the_given_moment() -> None:
    assert parse_schedule("* * * * * *").next_after(NOON) == NOON.replace(second=1)
    assert parse_schedule("0 0 12 * * *").next_after(NOON) == NOON.replace(day=16)


def test_lists_and_ranges_combine_in_one_field() -> None:
    schedule = parse_schedule("0 0 1,3,8-10 * * *")

    assert schedule.hours == {1, 3, 8, 9, 10}


def test_stepped_range_and_stepped_start_count_from_their_first_value() -> None:
    assert parse_schedule("0 10-20/5 * * * *").minutes == {10, 15, 20}
    assert parse_schedule("0 7/20 * * * *").minutes == {7, 27, 47}


def test_weekday_schedule_skips_the_weekend() -> None:
    friday_evening = datetime(2024, 5, 17, 18, 0, tzinfo=UTC)

    monday = parse_schedule("0 30 9 * * 1-5").next_after(friday_evening)

    assert monday == datetime(2024, 5, 20, 9, 30, tzinfo=UTC)


def test_sunday_is_day_zero() -> None:
    sunday = parse_schedule("0 0 0 * * 0").next_after(NOON)

    assert sunday == datetime(2024, 5, 19, tzinfo=UTC)


def test_month_and_day_fields_roll_over_the_year() -> None:
    new_year = parse_schedule("0 0 0 1 1 *").next_after(NOON)

    assert new_year == datetime(2025, 1, 1, tzinfo=UTC)


def test_leap_day_schedule_waits_for_a_leap_year() -> None:
    assert parse_schedule("0 0 0 29 2 *").next_after(NOON) == datetime(2028, 2, 29, tzinfo=UTC)


def test_impossible_date_is_rejected_instead_of_searched_forever() -> None:
    with pytest.raises(ValueError, match="never occurs"):
        parse_schedule("0 0 0 31 2 *").next_after(NOON)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 */5 * * *", "6 fields"),
        ("60 * * * * *", "second"),
        ("0 0 25 * * *", "hour"),
        ("0 0 0 0 * *", "day"),
        ("0 */0 * * * *", "minute"),
        ("0 0 0 * * mon", "day-of-week"),
        ("0 5-2 * * * *", "minute"),
    ],
)
def test_malformed_schedule_names_the_bad_field(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_schedule(expression)
