"""Cosmos DB document store on the azure-cosmos SDK: point reads, ETag-conditional replaces,
conditional patches, transactional batches and parameterised queries, one container per
aggregate. Connects on first use, never at import."""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from azure.core import MatchConditions
from azure.core.exceptions import AzureError
from azure.cosmos import ContainerProxy, CosmosClient, PartitionKey
from azure.cosmos.exceptions import (
    CosmosBatchOperationError,
    CosmosHttpResponseError,
    CosmosResourceNotFoundError,
)
from urllib3.exceptions import InsecureRequestWarning

from adapters.cosmos_ops import batch_operation, cosmos_patch, predicate
from adapters.documents import check_batch, check_equals, check_patch, partition_field, to_write
from adapters.expiry import TimeToLive, check_ttl
from saga.containers import PARTITION_FIELDS
from saga.errors import (
    AlreadyExists,
    BatchFailed,
    NotFound,
    PreconditionFailed,
    SagaError,
    StoreUnavailable,
)
from saga.operations import Operation, Patch
from saga.ports import Document

_SYSTEM_FIELDS = ("_rid", "_self", "_attachments", "_ts")
# The business answers a batch operation can give; any other status is a technical fault.
_FAILED_OPERATION: dict[int, type[SagaError]] = {
    409: AlreadyExists,
    404: NotFound,
    412: PreconditionFailed,
}


class CosmosStore:
    """A ``DocumentStore`` on one Cosmos database.

    ``credential`` is an account key, a token credential, or None for ``DefaultAzureCredential``
    (managed identity in Azure). ``provision`` creates the database and containers on first use;
    turn it off where infrastructure creates them (data-plane RBAC cannot). ``ttl`` gives the
    containers it creates their default time to live (an existing container keeps its own).
    """

    def __init__(
        self,
        endpoint: str,
        database: str,
        credential: Any = None,
        *,
        verify_tls: bool = True,
        provision: bool = True,
        client_options: Mapping[str, Any] | None = None,
        ttl: TimeToLive | None = None,
    ) -> None:
        self._endpoint, self._database, self._credential = endpoint, database, credential
        self._verify_tls, self._provision = verify_tls, provision
        self._client_options = dict(client_options or {})
        self._ttl = check_ttl(ttl or {})  # Cosmos itself expires the documents
        self._lock = threading.Lock()
        self._containers: dict[str, ContainerProxy] = {}

    def read(self, container: str, partition: str, doc_id: str) -> Document | None:
        """Point read; None when the item is absent."""
        proxy = self._container(container)
        try:
            item = proxy.read_item(doc_id, partition_key=partition)
        except CosmosResourceNotFoundError as exc:
            if exc.sub_status not in (None, 0):  # e.g. 1003: the container itself is missing
                raise _translated(exc) from exc
            return None
        except AzureError as exc:
            raise _translated(exc) from exc
        return _clean(item)

    def create(self, container: str, partition: str, doc: Document) -> Document:
        """Insert ``doc``; AlreadyExists on 409."""
        body, proxy = to_write(container, partition, doc), self._container(container)
        try:
            item = proxy.create_item(body)
        except AzureError as exc:
            raise _translated(exc, {409: AlreadyExists}) from exc
        return _clean(item)

    def replace(self, container: str, partition: str, doc: Document, etag: str) -> Document:
        """Replace if the stored ETag is ``etag``; PreconditionFailed on 412 or a missing doc."""
        body, proxy = to_write(container, partition, doc), self._container(container)
        try:
            item = proxy.replace_item(
                body["id"], body, etag=etag, match_condition=MatchConditions.IfNotModified
            )
        except AzureError as exc:
            raise _translated(exc, {412: PreconditionFailed, 404: PreconditionFailed}) from exc
        return _clean(item)

    def patch(self, container: str, partition: str, patch: Patch) -> Document:
        """``patch_item`` with the predicate as its ``filter_predicate``: 404 NotFound, 412
        PreconditionFailed."""
        check_patch(container, patch)
        proxy = self._container(container)
        try:
            item = proxy.patch_item(
                patch.doc_id, partition, cosmos_patch(patch), filter_predicate=predicate(patch)
            )
        except AzureError as exc:
            raise _translated(exc, {404: NotFound, 412: PreconditionFailed}) from exc
        return _clean(item)

    def batch(
        self, container: str, partition: str, operations: Sequence[Operation]
    ) -> list[Document | None]:
        """``execute_item_batch``: one request, atomic on the service; a failed operation is
        reported as BatchFailed with its own status (the others answer 424)."""
        check_batch(operations)
        ops = [batch_operation(container, partition, op) for op in operations]
        proxy = self._container(container)
        try:
            results = proxy.execute_item_batch(ops, partition_key=partition)
        except CosmosBatchOperationError as exc:
            kind = _FAILED_OPERATION.get(exc.status_code or 0)
            if kind is None:
                raise _translated(exc) from exc
            raise BatchFailed(exc.error_index, kind(f"cosmos {exc.status_code}")) from exc
        except AzureError as exc:
            raise _translated(exc) from exc
        return [_clean(r["resourceBody"]) if r.get("resourceBody") else None for r in results]

    def query(
        self, container: str, equals: Mapping[str, Any], partition: str | None = None
    ) -> list[Document]:
        """Parameterised equality query, in one partition or (admin paths) across all."""
        check_equals(equals)
        proxy, tests = self._container(container), list(equals.items())
        scope: dict[str, Any] = {"enable_cross_partition_query": True}
        if partition is not None:
            # Filtering on the partition field too is redundant for Cosmos but required by the
            # local test server, which ignores the partition key header of a query.
            tests.append((partition_field(container), partition))
            scope = {"partition_key": partition}
        where = " AND ".join(f"c.{name} = @p{i}" for i, (name, _) in enumerate(tests)) or "true"
        params = [{"name": f"@p{i}", "value": value} for i, (_, value) in enumerate(tests)]
        try:
            items = proxy.query_items(f"SELECT * FROM c WHERE {where}", parameters=params, **scope)
            return [_clean(item) for item in items]
        except AzureError as exc:
            raise _translated(exc) from exc

    def ensure_containers(self) -> None:
        """Connect now and (with ``provision``) create the database and every container."""
        self._all_containers()

    def _container(self, name: str) -> ContainerProxy:
        partition_field(name)
        return self._all_containers()[name]

    def _all_containers(self) -> dict[str, ContainerProxy]:
        if not self._containers:
            with self._lock:
                if not self._containers:
                    try:
                        self._containers = self._open_containers()
                    except AzureError as exc:
                        raise _translated(exc) from exc
        return self._containers

    def _open_containers(self) -> dict[str, ContainerProxy]:
        if not self._verify_tls:
            _quiet_unverified_https(self._endpoint)
        client = CosmosClient(
            self._endpoint,
            credential=self._credential or _default_credential(),
            connection_verify=self._verify_tls,
            **self._client_options,
        )
        if not self._provision:
            db = client.get_database_client(self._database)
            return {name: db.get_container_client(name) for name in PARTITION_FIELDS}
        db = client.create_database_if_not_exists(self._database)
        return {
            name: db.create_container_if_not_exists(
                name, PartitionKey(path=f"/{field}"), default_ttl=self._ttl.get(name)
            )
            for name, field in PARTITION_FIELDS.items()
        }


def _translated(exc: AzureError, statuses: Mapping[int, type[SagaError]] = {}) -> SagaError:
    """The port's error for a Cosmos failure: a mapped status, else ``StoreUnavailable``."""
    status = exc.status_code if isinstance(exc, CosmosHttpResponseError) else None
    kind = statuses.get(status or 0, StoreUnavailable)
    return kind(f"cosmos {status or 'connection'}: {exc.message}")


def _clean(item: Mapping[str, Any]) -> Document:
    return {k: v for k, v in item.items() if k not in _SYSTEM_FIELDS}


def _default_credential() -> Any:
    from azure.identity import DefaultAzureCredential  # imported only where no key is configured

    return DefaultAzureCredential()


def _quiet_unverified_https(endpoint: str) -> None:
    # Only for an endpoint the caller chose not to verify (the local test server), which urllib3
    # would warn about on every request; other hosts keep their warnings.
    host = re.escape(urlsplit(endpoint).hostname or "")
    pattern = f"Unverified HTTPS request .* host '{host}'"
    warnings.filterwarnings("ignore", message=pattern, category=InsecureRequestWarning)
