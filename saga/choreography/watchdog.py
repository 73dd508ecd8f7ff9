"""The deadline watchdog: running choreography sagas past their deadline are asked to abort
(``SagaTimedOut``), again on every pass until they finish, so none hangs forever."""

from __future__ import annotations

from datetime import datetime, timedelta

from saga.choreography.state import KIND, RUNNING
from saga.containers import SAGAS
from saga.events import Envelope, EventType, first_event, to_json
from saga.ports import Document, DocumentStore, EventPublisher


def overdue(store: DocumentStore, now: datetime) -> list[Document]:
    """Running sagas whose deadline has passed (a cross-partition query: an admin path). A saga
    whose first event never reached the read model is timed from its start."""
    running = store.query(SAGAS, {"kind": KIND, "status": RUNNING})
    return [doc for doc in running if _is_overdue(doc, now)]


def _is_overdue(saga: Document, now: datetime) -> bool:
    if saga["deadline"] is not None:
        return datetime.fromisoformat(saga["deadline"]) <= now
    started = datetime.fromisoformat(saga["created_time"])
    return started + timedelta(seconds=saga["deadline_seconds"]) <= now


def timeout_event(saga: Document, now: datetime) -> Envelope:
    reason = {
        "step": saga["current_step"],
        "code": "deadline_exceeded",
        "message": f"not finished within {saga['deadline_seconds']} s",
    }
    return first_event(EventType.SAGA_TIMED_OUT, saga["order"], now, reason)


def time_out_overdue(
    store: DocumentStore, publisher: EventPublisher, hub: str, now: datetime
) -> list[str]:
    """Publish ``SagaTimedOut`` for every overdue saga; returns their order ids. Re-publishing on
    the next pass is harmless (same event id), and retries an abort that failed."""
    events = [timeout_event(saga, now) for saga in overdue(store, now)]
    if events:
        publisher.publish(hub, [(event.order_id, to_json(event)) for event in events])
    return [event.order_id for event in events]
