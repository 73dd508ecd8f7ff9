"""NCRONTAB schedules as Azure Functions timer triggers use them: six fields
``second minute hour day month day-of-week`` (Sunday = 0), each ``*``, ``n``, ``a-b``, ``*/n``,
``a-b/n`` or a comma list of those. Times are UTC, as in Azure without WEBSITE_TIME_ZONE."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# (name, lowest, highest) per field, in schedule order.
_FIELDS = (
    ("second", 0, 59),
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day", 1, 31),
    ("month", 1, 12),
    ("day-of-week", 0, 6),
)
# An impossible schedule (31 February) must fail instead of searching forever.
_SEARCH_LIMIT = timedelta(days=5 * 366)


@dataclass(frozen=True)
class Schedule:
    """The allowed values of each field."""

    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after ``moment`` (same tzinfo as ``moment``)."""
        candidate = moment.replace(microsecond=0) + timedelta(seconds=1)
        while candidate - moment < _SEARCH_LIMIT:
            if candidate.month not in self.months:
                candidate = _start_of_next_month(candidate)
            elif not self._day_matches(candidate):
                candidate = candidate.replace(hour=0, minute=0, second=0) + timedelta(days=1)
            elif candidate.hour not in self.hours:
                candidate = candidate.replace(minute=0, second=0) + timedelta(hours=1)
            elif candidate.minute not in self.minutes:
                candidate = candidate.replace(second=0) + timedelta(minutes=1)
            elif candidate.second not in self.seconds:
                candidate += timedelta(seconds=1)
            else:
                return candidate
        raise ValueError(f"schedule {self} never occurs")

    def _day_matches(self, moment: datetime) -> bool:
        # NCrontab requires both day fields to match (classic cron would accept either).
        weekday = (moment.weekday() + 1) % 7  # Python's Monday=0 to cron's Sunday=0
        return moment.day in self.days and weekday in self.weekdays


def parse_schedule(expression: str) -> Schedule:
    """Parse a six-field NCRONTAB expression; raise ValueError naming the bad field."""
    parts = expression.split()
    if len(parts) != len(_FIELDS):
        raise ValueError(
            f"NCRONTAB needs 6 fields (second minute hour day month day-of-week): {expression!r}"
        )
    values = [_parse_field(part, *spec) for part, spec in zip(parts, _FIELDS, strict=True)]
    return Schedule(*values)


def _parse_field(text: str, name: str, low: int, high: int) -> frozenset[int]:
    allowed: set[int] = set()
    for item in text.split(","):
        try:
            allowed.update(_parse_item(item, low, high))
        except ValueError:
            raise ValueError(f"bad {name} field {text!r} (allowed {low}-{high})") from None
    return frozenset(allowed)


def _parse_item(item: str, low: int, high: int) -> range:
    span, _, step_text = item.partition("/")
    step = int(step_text) if step_text else 1
    if span == "*":
        first, last = low, high
    elif "-" in span:
        first_text, last_text = span.split("-", 1)
        first, last = int(first_text), int(last_text)
    else:
        first = int(span)
        last = high if step_text else first
    if step < 1 or not low <= first <= last <= high:
        raise ValueError(item)
    return range(first, last + 1, step)


def _start_of_next_month(moment: datetime) -> datetime:
    first = moment.replace(day=1, hour=0, minute=0, second=0)
    return (first + timedelta(days=32)).replace(day=1)
