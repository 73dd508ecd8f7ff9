"""History retention: the purge asks the durable client for ended instances created before the
retention period, never running ones, and a failed purge is logged and left to the next run."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from unittest.mock import AsyncMock

import pytest
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from config import Settings
from triggers.retention import EARLIEST, purge_ended_sagas

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def purged(count: int) -> AsyncMock:
    client = AsyncMock()
    client.purge_instance_history_by.return_value = SimpleNamespace(instances_deleted=count)
    return client


def test_the_purge_asks_for_ended_instances_created_before_the_retention_period() -> None:
    client = purged(3)

    assert asyncio.run(purge_ended_sagas(client, NOW, 7 * 24 * 3600)) == 3

    client.purge_instance_history_by.assert_awaited_once_with(
        created_time_from=EARLIEST,
        created_time_to=NOW - timedelta(days=7),
        runtime_status=[
            OrchestrationRuntimeStatus.Completed,
            OrchestrationRuntimeStatus.Failed,
            OrchestrationRuntimeStatus.Terminated,
        ],
    )


def test_a_failed_purge_is_logged_and_left_to_the_next_occurrence(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = AsyncMock()
    client.purge_instance_history_by.side_effect = RuntimeError("backend unreachable")

    assert asyncio.run(purge_ended_sagas(client, NOW, 60)) is None
    assert "saga history purge failed" in caplog.text


def test_the_retention_defaults_to_seven_days_and_must_be_positive() -> None:
    assert Settings.from_env({}).saga_history_retention_seconds == 7 * 24 * 3600
    with pytest.raises(ValueError, match="SAGA_HISTORY_RETENTION_SECONDS"):
        Settings.from_env({"SAGA_HISTORY_RETENTION_SECONDS": "0"})
