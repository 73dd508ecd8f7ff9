"""The Cosmos test server keeps Cosmos's batch and patch semantics, driven by the real azure-cosmos
SDK (no adapter in between): all or nothing, 424 for the others, 207, at most 100 operations, one
partition, Patch inside a batch, and filter predicates evaluated as written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from azure.cosmos import ContainerProxy, CosmosClient, PartitionKey
from azure.cosmos.exceptions import CosmosBatchOperationError, CosmosHttpResponseError

from tools.cosmos.server import EMULATOR_KEY

PK = "shelf-1"


@pytest.fixture
def statuses() -> list[int]:
    """HTTP status of every response the client below receives, in order."""
    return []


@pytest.fixture
def container(cosmos_endpoint: str, statuses: list[int]) -> Iterator[ContainerProxy]:
    client = CosmosClient(
        cosmos_endpoint,
        EMULATOR_KEY,
        connection_verify=False,
        raw_response_hook=lambda response: statuses.append(response.http_response.status_code),
    )
    database = client.create_database_if_not_exists(f"batch-{uuid.uuid4().hex[:10]}")
    yield database.create_container_if_not_exists("items", PartitionKey(path="/pk"))


def doc(doc_id: str, pk: str = PK, **fields: Any) -> dict[str, Any]:
    return {"id": doc_id, "pk": pk, **fields}


def ids(container: ContainerProxy) -> list[str]:
    return sorted(item["id"] for item in container.read_all_items())


def failed_batch(container: ContainerProxy, operations: list[Any]) -> CosmosBatchOperationError:
    with pytest.raises(CosmosBatchOperationError) as caught:
        container.execute_item_batch(operations, partition_key=PK)
    return caught.value


def test_a_failed_batch_leaves_no_trace_of_its_earlier_operations(
    container: ContainerProxy,
) -> None:
    container.create_item(doc("taken", n=1))
    error = failed_batch(
        container,
        [
            ("create", (doc("new-1"),)),
            ("upsert", (doc("taken", n=2),)),
            ("create", (doc("taken"),)),
        ],
    )
    assert error.error_index == 2
    assert ids(container) == ["taken"]
    assert container.read_item("taken", PK)["n"] == 1


def test_the_failing_operation_keeps_its_status_and_every_other_answers_424(
    container: ContainerProxy, statuses: list[int]
) -> None:
    operations = [("create", (doc("a"),)), ("read", ("missing",)), ("create", (doc("b"),))]
    error = failed_batch(container, operations)
    assert [r["statusCode"] for r in error.operation_responses] == [424, 404, 424]
    assert (error.status_code, error.error_index) == (404, 1)
    assert statuses[-1] == 207
    assert ids(container) == []


def test_read_replace_upsert_and_delete_work_inside_a_batch(container: ContainerProxy) -> None:
    container.create_item(doc("r", v=1))
    container.create_item(doc("gone"))
    results = container.execute_item_batch(
        [
            ("read", ("r",)),
            ("replace", ("r", doc("r", v=2))),
            ("upsert", (doc("u", v=3),)),
            ("delete", ("gone",)),
        ],
        partition_key=PK,
    )
    assert [r["statusCode"] for r in results] == [200, 200, 201, 204]
    assert results[0]["resourceBody"]["v"] == 1
    assert ids(container) == ["r", "u"]
    assert container.read_item("r", PK)["v"] == 2


def test_a_replace_with_a_stale_etag_fails_the_batch_with_412(container: ContainerProxy) -> None:
    stale = container.create_item(doc("r", v=1))["_etag"]
    container.upsert_item(doc("r", v=2))
    error = failed_batch(
        container,
        [("create", (doc("c"),)), ("replace", ("r", doc("r", v=3)), {"if_match_etag": stale})],
    )
    assert (error.status_code, error.error_index) == (412, 1)
    assert ids(container) == ["r"]


def test_a_patch_inside_a_batch_increments_when_its_predicate_holds(
    container: ContainerProxy,
) -> None:
    container.create_item(doc("stock", available=3, reserved=0))
    take = [
        {"op": "incr", "path": "/available", "value": -2},
        {"op": "incr", "path": "/reserved", "value": 2},
    ]

    def reserve(hold: str) -> list[Any]:
        # A fresh kwargs dict each time: the SDK pops filter_predicate out of the one it is given.
        predicate = {"filter_predicate": "from c where c.available >= 2"}
        return [("create", (doc(hold, quantity=2),)), ("patch", ("stock", take), predicate)]

    results = container.execute_item_batch(reserve("hold-1"), partition_key=PK)
    assert results[1]["resourceBody"]["available"] == 1
    error = failed_batch(container, reserve("hold-2"))
    assert (error.status_code, error.error_index) == (412, 1)
    assert ids(container) == ["hold-1", "stock"]
    assert container.read_item("stock", PK)["available"] == 1


def test_more_than_100_operations_are_refused_with_400(container: ContainerProxy) -> None:
    with pytest.raises(CosmosHttpResponseError) as caught:
        container.execute_item_batch(
            [("create", (doc(f"d{i}"),)) for i in range(101)], partition_key=PK
        )
    assert caught.value.status_code == 400
    assert ids(container) == []
    container.execute_item_batch(
        [("create", (doc(f"d{i}"),)) for i in range(100)], partition_key=PK
    )
    assert len(ids(container)) == 100


def test_every_operation_runs_under_the_batch_partition_key(container: ContainerProxy) -> None:
    container.create_item(doc("same-id", pk="shelf-2", where="other shelf"))
    error = failed_batch(
        container, [("create", (doc("mine"),)), ("create", (doc("stray", pk="shelf-2"),))]
    )
    assert (error.status_code, error.error_index) == (400, 1)
    assert failed_batch(container, [("read", ("same-id",))]).status_code == 404
    assert ids(container) == ["same-id"]


def test_a_filter_predicate_is_matched_as_written_not_lowercased(
    container: ContainerProxy,
) -> None:
    container.create_item(doc("case", State="Open", n=0))
    bump = [{"op": "incr", "path": "/n", "value": 1}]
    patched = container.patch_item(
        "case", PK, bump, filter_predicate="from c where c.State = 'Open'"
    )
    assert patched["n"] == 1
    with pytest.raises(CosmosHttpResponseError) as caught:
        container.patch_item("case", PK, bump, filter_predicate="from c where c.State = 'open'")
    assert caught.value.status_code == 412
    assert container.read_item("case", PK)["n"] == 1


def test_a_filter_predicate_looks_only_at_the_document_in_its_partition(
    container: ContainerProxy,
) -> None:
    container.create_item(doc("twin", pk="shelf-2", available=9))
    container.create_item(doc("twin", available=0))
    bump = [{"op": "incr", "path": "/available", "value": -1}]
    with pytest.raises(CosmosHttpResponseError) as caught:
        container.patch_item("twin", PK, bump, filter_predicate="from c where c.available >= 1")
    assert caught.value.status_code == 412
    assert container.read_item("twin", "shelf-2")["available"] == 9
