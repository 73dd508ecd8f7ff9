"""Composition root: the one place dependencies are built, lazily and once per process, from one
``Settings`` read from the environment. Nothing connects at import; tests inject their own."""

from __future__ import annotations

import threading

from config import Settings
from saga.ports import DocumentStore, EventPublisher
from saga.seed import seed_demo_data

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
        return _publisher


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


def reset_for_tests() -> None:
    """Forget what was built or injected, so the next call builds again from the environment."""
    global _store, _settings, _publisher
    with _lock:
        _store = None
        _settings = None
        _publisher = None
