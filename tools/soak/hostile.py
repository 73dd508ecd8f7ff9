"""Hostile request bodies for the saga starters, generated with hypothesis. Each is invalid by
construction: wrong types, bad numbers, huge lists, bad ids, deep nesting, unknown fields,
duplicate keys, oversize bodies, wrong content types, malformed JSON or a missing field."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from hypothesis import strategies as st

from tools.soak.spoilers import TEXT_SPOILERS, S

JSON = "application/json"
ROUTES = ("/api/saga/sequential", "/api/saga/parallel", "/api/saga/choreography")


class Payload(NamedTuple):
    category: str
    route: str
    content_type: str | None
    body: bytes


ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,15}", fullmatch=True)
line = st.fixed_dictionaries({"sku": st.sampled_from("abc"), "quantity": st.integers(1, 5)})


def payloads(category: str) -> S[Payload]:
    """A route, a valid body for it, then spoilt the ``category`` way (one of CATEGORIES)."""
    return st.sampled_from(ROUTES).flatmap(
        lambda route: _base(route).flatmap(lambda body: _spoilt(category, route, body))
    )


def _base(route: str) -> S[dict[str, Any]]:
    if route.endswith("parallel"):
        return st.fixed_dictionaries(
            {"batch_id": ids, "items": st.lists(line, min_size=1, max_size=3)},
            optional={"amount": st.integers(1, 1000)},
        )
    return st.fixed_dictionaries(
        {"order_id": ids, "amount": st.integers(1, 1000)},
        optional={"items": st.lists(line, min_size=1, max_size=3)},
    )


CONTENT_TYPES = ["text/plain", "application/x-www-form-urlencoded", "application/xml", "text/html"]


def wrong_content_type(route: str, body: dict[str, Any]) -> S[Payload]:
    text = json.dumps(body).encode()
    return st.sampled_from(CONTENT_TYPES).map(
        lambda kind: Payload("wrong content type", route, kind, text)
    )


CATEGORIES = [*TEXT_SPOILERS, "wrong content type"]


def _spoilt(category: str, route: str, body: dict[str, Any]) -> S[Payload]:
    if category == "wrong content type":
        return wrong_content_type(route, body)
    spoilt = TEXT_SPOILERS[category](route, body)
    return spoilt.map(
        lambda text: Payload(category, route, JSON, text.encode("utf-8", "surrogatepass"))
    )
