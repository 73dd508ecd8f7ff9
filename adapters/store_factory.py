"""Builds the configured ``DocumentStore`` from ``Settings`` (the composition root calls it once).
The Cosmos SDK is imported only when Cosmos is configured, and connects on its first operation."""

from __future__ import annotations

from pathlib import Path

from config import Settings
from saga.containers import LEDGER
from saga.ports import DocumentStore


def build_store(settings: Settings) -> DocumentStore:
    """SQLite at ``saga_sqlite_path`` (its folder created) or Cosmos at ``cosmos_endpoint``.

    Without ``cosmos_key`` Cosmos uses managed identity, and the database and containers must
    already exist (data-plane RBAC cannot create them). The ledger's entries expire after
    ``saga_ledger_ttl_seconds``.
    """
    ttl = {LEDGER: settings.saga_ledger_ttl_seconds}
    if settings.saga_store == "cosmos":
        from adapters.cosmos import CosmosStore

        return CosmosStore(
            settings.cosmos_endpoint,
            settings.cosmos_database,
            settings.cosmos_key or None,
            verify_tls=settings.cosmos_verify_tls,
            provision=bool(settings.cosmos_key),
            ttl=ttl,
        )
    from adapters.sqlite import SqliteStore

    if settings.saga_sqlite_path != ":memory:":
        Path(settings.saga_sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    return SqliteStore(settings.saga_sqlite_path, ttl=ttl)
