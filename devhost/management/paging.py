"""Server-side paging of the instance query (``top`` and the ``x-ms-continuation-token`` header, as
the Durable HTTP API documents): keyset pages over the (created, id) index, so page 500 of a big
state file costs what page 1 costs."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass

CONTINUATION_HEADER = "x-ms-continuation-token"
# Dev-host extensions of the query (Azure ignores unknown parameters): newest first, and a filter
# on the orchestrator name, which the documented query lacks and a dashboard needs.
NEWEST_FIRST_PARAM = "newestFirst"
NAME_PARAM = "name"


class BadContinuationToken(ValueError):
    """The token was not one this host handed out."""


@dataclass(frozen=True)
class Page:
    """Where a page starts (after ``after``), how long it is, and in which direction."""

    size: int | None  # None: everything
    after: tuple[str, str] | None  # the (created, id) of the last row of the previous page
    newest_first: bool

    def condition(self) -> tuple[str, tuple[str, ...]]:
        """The SQL condition that skips the earlier pages (row values, SQLite 3.15+)."""
        if self.after is None:
            return "1", ()
        operator = "<" if self.newest_first else ">"
        return f"(created, id) {operator} (?, ?)", self.after

    def order(self) -> str:
        direction = "DESC" if self.newest_first else "ASC"
        return f"created {direction}, id {direction}"

    def limit(self) -> int | None:
        # One row more than asked: it says whether there is a next page.
        return None if self.size is None else self.size + 1


def page_from(top: str | None, token: str | None, newest_first: bool) -> Page:
    """The page a query asks for; ValueError names what is wrong with ``top`` or the token."""
    size = None
    if top:
        if not top.isdigit() or int(top) < 1:
            raise ValueError(f"top: expected a positive integer, got {top!r}")
        size = int(top)
    return Page(size, decode_token(token) if token else None, newest_first)


def encode_token(created: str, instance_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created, instance_id]).encode()).decode()


def decode_token(token: str) -> tuple[str, str]:
    try:
        created, instance_id = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, binascii.Error) as error:
        raise BadContinuationToken(f"{CONTINUATION_HEADER}: not a token of this host") from error
    if not isinstance(created, str) or not isinstance(instance_id, str):
        raise BadContinuationToken(f"{CONTINUATION_HEADER}: not a token of this host")
    return created, instance_id
