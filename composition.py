"""Composition root: the one place dependencies are built, lazily and once per process, from one
``Settings`` read from the environment. Nothing connects at import; tests inject their own."""

from __future__ import annotations

import threading

from config import Settings
from saga.ports import DocumentStore
from saga.seed import seed_demo_data

_lock = threading.Lock()
_settings: Settings | None = None
_store: DocumentStore | None = None


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


def override(store: DocumentStore | None = None, settings: Settings | None = None) -> None:
    """Use ``store`` and/or ``settings`` instead of building them (tests, the dev host)."""
    global _store, _settings
    with _lock:
        if store is not None:
            _store = store
        if settings is not None:
            _settings = settings


def reset_for_tests() -> None:
    """Forget what was built or injected, so the next call builds again from the environment."""
    global _store, _settings
    with _lock:
        _store = None
        _settings = None
