"""Time to live as Cosmos applies it, for the stores that keep time themselves (SQLite, the fakes):
a container's default TTL turns expiry on, an item's ``ttl`` overrides it, and an item past its
last write plus its TTL is gone for reads, queries and writes (Cosmos then deletes it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Container name -> default TTL in seconds; -1 turns expiry on with no default (only items with
# their own ``ttl`` expire). A container not listed never expires anything.
TimeToLive = Mapping[str, int]
NEVER = -1


def expires_at(ttl: TimeToLive, container: str, doc: Mapping[str, Any], now: float) -> float | None:
    """When ``doc`` written at ``now`` expires, or None for never."""
    default = ttl.get(container)
    if default is None:
        return None  # as on Cosmos, an item's ttl means nothing in a container without TTL
    own = doc.get("ttl", default)
    if isinstance(own, bool) or not isinstance(own, int) or own == 0 or own < NEVER:
        raise ValueError(f"{container} document {doc.get('id')!r}: ttl must be -1 or > 0")
    return None if own == NEVER else now + own


def check_ttl(ttl: TimeToLive) -> dict[str, int]:
    """A copy of ``ttl`` after checking each default TTL (-1, or a positive number of seconds)."""
    for container, seconds in ttl.items():
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, int)
            or not (seconds == NEVER or seconds > 0)
        ):
            raise ValueError(f"default TTL of {container!r} must be -1 or > 0, not {seconds!r}")
    return dict(ttl)
