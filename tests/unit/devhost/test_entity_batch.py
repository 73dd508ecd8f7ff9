"""One entity batch without I/O, against the real SDK's Entity handler: the payload it reads,
what its answer means, and entity ids."""

from __future__ import annotations

import json

import azure.durable_functions as df
import pytest
from azure.functions._durable_functions import EntityContext

from devhost.durable.entities import batch, messages
from devhost.durable.entities.store import EntityRow


def tally(context: df.DurableEntityContext) -> None:
    value = context.get_state(lambda: 0)
    if context.operation_name == "boom":
        raise RuntimeError("no")
    value += context.get_input()
    context.set_state(value)
    context.set_result(value)


HANDLER = df.Entity.create(tally)


def operation(op: str, value: object) -> messages.Request:
    return messages.request(op, json.dumps(json.dumps(value)), signal=False, parent="i")


def test_the_sdk_runs_the_batch_in_order_and_answers_each_operation() -> None:
    entity = EntityRow("@tally@k", "tally", "k", "10", "2026-01-01T00:00:00.000000Z")
    requests = [operation("add", 1), operation("boom", None), operation("add", 5)]

    answer = HANDLER(EntityContext(batch.payload("tally", "k", entity, requests)))
    outcome = batch.read_answer(answer, entity.id, len(requests))

    assert (outcome.exists, outcome.state) == (True, "16")
    assert outcome.results == [
        batch.OperationResult("11", False),
        batch.OperationResult('"no"', True),
        batch.OperationResult("16", False),
    ]


def test_an_answer_that_does_not_fit_the_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="answered 0 of 2"):
        batch.read_answer('{"entityExists": true, "results": []}', "@t@k", 2)
    with pytest.raises(ValueError, match="not an entity batch result"):
        batch.read_answer("null", "@t@k", 1)


def test_a_failed_batch_fails_every_operation_and_keeps_the_state() -> None:
    entity = EntityRow("@t@k", "t", "k", "3", "2026-01-01T00:00:00.000000Z")

    outcome = batch.failed(entity, 2, "it broke")

    assert (outcome.exists, outcome.state) == (True, "3")
    assert outcome.results == [batch.OperationResult('"it broke"', True)] * 2


def test_signals_in_an_answer_become_requests_from_the_sending_entity() -> None:
    answer = {
        "entityExists": True,
        "entityState": "1",
        "results": [{"isError": False, "result": "null"}],
        "signals": [{"target": {"name": "Other", "key": "x"}, "name": "ping", "input": '"1"'}],
    }

    outcome = batch.read_answer(json.dumps(answer), "@t@k", 1)

    [(target, request)] = outcome.signals
    assert target == "@other@x"
    assert {k: request[k] for k in ("op", "signal", "input", "parent")} == {
        "op": "ping",
        "signal": True,
        "input": '"1"',
        "parent": "@t@k",
    }


def test_entity_ids_lowercase_the_name_and_keep_the_whole_key() -> None:
    assert messages.entity_id("Counter", "My@Key") == "@counter@My@Key"
    assert messages.split_entity_id("@counter@My@Key") == ("counter", "My@Key")
    with pytest.raises(ValueError, match="not an entity id"):
        messages.split_entity_id("counter@key")
