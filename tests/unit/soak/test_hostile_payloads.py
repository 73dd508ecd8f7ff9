"""The soak's hostile payloads are invalid by construction: parsed and validated in-process the way
the starters do it, every one of them is refused (so "0 accepted" in scenario 8 means something)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tools.soak.hostile import CATEGORIES, Payload, payloads
from triggers.validation import (
    ParallelRequest,
    RequestError,
    SequentialRequest,
    parse_body,
    validate,
)

ANY_HEALTH = list(HealthCheck)


def refused(payload: Payload) -> bool:
    model = ParallelRequest if payload.route.endswith("parallel") else SequentialRequest
    try:
        validate(model, parse_body(payload.body, payload.content_type), max_items=100)
    except RequestError:
        return True
    return False


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_hostile_payload_of_a_category_is_refused(category: str) -> None:
    @settings(
        max_examples=60, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(payloads(category))
    def check(payload: Payload) -> None:
        assert payload.category == category
        assert refused(payload), payload.body[:300]

    check()


def test_the_generated_bodies_start_from_requests_that_would_be_accepted() -> None:
    body = b'{"order_id": "ok-1", "amount": 5}'
    assert not refused(Payload("none", "/api/saga/sequential", "application/json", body))
