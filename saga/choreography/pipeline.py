"""What a handler runs with: the services, the publisher and hub, and the in-handler retry of
technical faults (exponential backoff; the partition waits meanwhile, as with Azure's own retry
policies)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from saga.choreography.reactions import Reaction, Services
from saga.errors import TechnicalFault
from saga.events import Envelope, to_json
from saga.ports import EventPublisher

log = logging.getLogger("saga.choreography")
T = TypeVar("T")


@dataclass(frozen=True)
class Retry:
    """In-handler retries of technical faults: ``attempts`` tries, exponential backoff (built
    from ``Settings`` by the composition root, where the defaults live)."""

    attempts: int
    first_delay_seconds: float
    backoff: float

    def delay(self, attempt: int) -> float:
        return self.first_delay_seconds * self.backoff ** (attempt - 1)


@dataclass(frozen=True)
class Pipeline:
    """Everything a handler needs, built once by the composition root."""

    services: Services
    publisher: EventPublisher
    hub: str
    retry: Retry
    # SAGA_COMPENSATION_MAX_ATTEMPTS, as in the orchestrated sagas.
    compensation_retry: Retry
    sleep: Callable[[float], None] = field(default=time.sleep)

    def publish(self, events: list[Envelope]) -> None:
        if events:
            self.publisher.publish(self.hub, [(e.order_id, to_json(e)) for e in events])

    def retrying(self, action: Callable[[], T], retry: Retry | None = None) -> T:
        """Run ``action``; retry technical faults with backoff (``retry``, by default the
        pipeline's), re-raise the last one."""
        policy = retry or self.retry
        for attempt in range(1, policy.attempts):
            try:
                return action()
            except TechnicalFault as fault:
                log.warning("technical fault (attempt %d): %s", attempt, fault)
                self.sleep(policy.delay(attempt))
        return action()

    def retry_for(self, reaction: Reaction) -> Retry:
        """The retry budget of a reaction: compensations have their own."""
        return self.compensation_retry if reaction.compensates else self.retry
