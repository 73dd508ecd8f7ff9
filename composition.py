"""Composition root: the one place dependencies are built, lazily and once per process, from one
``Settings`` read from the environment: the store, the publisher, the saga policy, the
choreography's pipeline and (only with SAGA_FAULT_INJECTION) the fault injector. Nothing connects
at import; tests inject their own."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from config import Settings
from orchestrators.policy import Policy
from saga.choreography.pipeline import Pipeline, Retry
from saga.choreography.reactions import Services, no_gate
from saga.ports import DocumentStore, EventPublisher
from saga.seed import seed_demo_data

if TYPE_CHECKING:
    from adapters.faults import FaultInjector, StepServices

_lock = threading.Lock()
_settings: Settings | None = None
_store: DocumentStore | None = None
_publisher: EventPublisher | None = None


def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def get_store() -> DocumentStore:
    """The process's document store, built (and seeded with demo data if enabled) on first use."""
    global _store
    settings = get_settings()
    with _lock:
        if _store is None:
            from adapters.store_factory import build_store  # the SDKs load only when needed

            store = build_store(settings)
            if settings.saga_seed_demo_data:
                seed_demo_data(store)
            _store = store
        return _store


def get_publisher() -> EventPublisher:
    """The event publisher (the dev host's local bus or Event Hubs), built on first use."""
    global _publisher
    settings = get_settings()
    with _lock:
        if _publisher is None:
            from adapters.eventhubs import build_publisher  # the SDK loads only when needed

            _publisher = build_publisher(settings)
        publisher = _publisher
    faults = get_faults()
    if faults is not None:
        from adapters.faults import DuplicatingPublisher

        return DuplicatingPublisher(publisher, faults)
    return publisher


def get_faults() -> FaultInjector | None:
    """The failure injector when SAGA_FAULT_INJECTION=true, else None (production)."""
    if not get_settings().saga_fault_injection:
        return None
    from adapters.faults import FaultInjector

    services, compensations = fault_services()
    return FaultInjector(get_store(), services, compensations)


def fault_services() -> StepServices:
    """The services the ``simulate`` block may name, derived from every saga's declaration."""
    from activities.order_sagas import SAGAS
    from adapters.faults import services_of
    from saga.choreography.consumers import ALL

    return services_of(SAGAS, ALL)


def get_policy() -> Policy:
    """How hard an orchestrated saga tries: the retry, timeout and deadline settings."""
    return policy_from(get_settings())


def policy_from(settings: Settings) -> Policy:
    return Policy(
        retry_first_interval_ms=settings.saga_retry_first_interval_ms,
        retry_max_attempts=settings.saga_retry_max_attempts,
        retry_backoff=settings.saga_retry_backoff,
        step_timeout_seconds=settings.saga_step_timeout_seconds,
        deadline_seconds=settings.saga_deadline_seconds,
        compensation_max_attempts=settings.saga_compensation_max_attempts,
    )


def get_pipeline() -> Pipeline:
    """What the choreography's handlers, starter and watchdog run with (cheap: all cached)."""
    settings = get_settings()
    faults = get_faults()
    retry = Retry(
        settings.saga_retry_max_attempts,
        settings.saga_retry_first_interval_ms / 1000,
        settings.saga_retry_backoff,
    )
    gate = (lambda step, order: faults.gate(step, order.order_id)) if faults else no_gate
    services = Services(get_store(), settings.saga_payment_limit_minor, _now, gate)
    undo_retry = replace(retry, attempts=settings.saga_compensation_max_attempts)
    return Pipeline(services, get_publisher(), settings.eventhub_name, retry, undo_retry)


def _now() -> datetime:
    return datetime.now(UTC)


def override(
    store: DocumentStore | None = None,
    settings: Settings | None = None,
    publisher: EventPublisher | None = None,
) -> None:
    """Use these instead of building them (tests, the dev host)."""
    global _store, _settings, _publisher
    with _lock:
        if store is not None:
            _store = store
        if settings is not None:
            _settings = settings
        if publisher is not None:
            _publisher = publisher


def reset() -> None:
    """Forget what was built or injected, so the next call builds again from the environment."""
    global _store, _settings, _publisher
    with _lock:
        _store = None
        _settings = None
        _publisher = None
