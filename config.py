"""The one list of settings, read from the environment (app settings in Azure, local.settings.json
under `func start`, the process environment under the dev host). Nothing connects at import."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Settings:
    """Every tunable of the app; field names are the lower-case setting names."""

    saga_store: str = "sqlite"
    saga_sqlite_path: str = ".devhost/saga.db"
    cosmos_endpoint: str = ""
    # Secrets stay out of repr(), so a logged Settings cannot leak them.
    cosmos_key: str = field(default="", repr=False)
    cosmos_database: str = "saga"
    cosmos_verify_tls: bool = True
    eventhub_connection: str = field(default="", repr=False)
    eventhub_fully_qualified_namespace: str = ""
    # No default: the choreography's triggers name their hub as %EVENTHUB_NAME%, which the host
    # resolves from this setting; without it they are in error and the choreography is off.
    eventhub_name: str = ""
    taskhub_name: str = "SagaHub"
    saga_seed_demo_data: bool = True
    saga_max_items: int = 100
    saga_step_timeout_seconds: int = 30
    saga_deadline_seconds: int = 3600
    saga_retry_first_interval_ms: int = 1000
    saga_retry_max_attempts: int = 4
    saga_retry_backoff: float = 2.0
    saga_compensation_max_attempts: int = 6
    saga_payment_limit_minor: int = 100_000_00
    saga_choreography_deadline_seconds: int = 300
    saga_fault_injection: bool = False
    # Durable history of ended sagas is purged once they were created this long ago (7 days)...
    saga_history_retention_seconds: int = 7 * 24 * 3600
    # ...by a timer on this NCRONTAB schedule (the trigger reads the app setting itself).
    saga_history_purge_schedule: str = "0 0 * * * *"
    # A processed-event ledger entry is needed only while Event Hubs can redeliver its event: the
    # hub's retention (the dev host keeps a day, Standard at most 7) plus checkpoint lag. 8 days.
    saga_ledger_ttl_seconds: int = 8 * 24 * 3600

    @classmethod
    def keys(cls) -> list[str]:
        """The environment variable names, in declaration order."""
        return [f.name.upper() for f in fields(cls)]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``env`` (default ``os.environ``); unknown keys are ignored."""
        source = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = source.get(f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.name, raw, type(f.default))
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Fail fast, naming the setting, on values the app cannot run with."""
        if self.saga_store not in ("sqlite", "cosmos"):
            raise ValueError(f"SAGA_STORE must be 'sqlite' or 'cosmos', not {self.saga_store!r}")
        if self.saga_store == "cosmos" and not self.cosmos_endpoint:
            raise ValueError("COSMOS_ENDPOINT is required when SAGA_STORE=cosmos")
        if self.saga_history_retention_seconds <= 0:
            raise ValueError("SAGA_HISTORY_RETENTION_SECONDS must be a positive number of seconds")
        if self.saga_ledger_ttl_seconds <= 0:
            raise ValueError("SAGA_LEDGER_TTL_SECONDS must be a positive number of seconds")


def _parse(name: str, raw: str, kind: type) -> object:
    try:
        if kind is bool:
            if raw.strip().lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError(raw)
            return raw.strip().lower() in ("1", "true", "yes")
        return kind(raw)
    except ValueError:
        raise ValueError(f"{name.upper()} must be a {kind.__name__}, got {raw!r}") from None
