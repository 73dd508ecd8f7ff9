"""The choreography's versioned event envelope: validated on receipt, built with deterministic ids
(``{order_id}:{type}``) so publishing the same event twice is harmless downstream."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator

SCHEMA_VERSION = 1


class EventType(StrEnum):
    """Every event of the choreography; the value is the envelope's ``type``."""

    # Forward steps, in saga order.
    ORDER_CREATED = "OrderCreated"
    INVENTORY_RESERVED = "InventoryReserved"
    PAYMENT_COMPLETED = "PaymentCompleted"
    ORDER_SHIPPED = "OrderShipped"
    ORDER_COMPLETED = "OrderCompleted"
    # A forward step refused (business failure): compensation starts behind it.
    INVENTORY_RESERVATION_FAILED = "InventoryReservationFailed"
    PAYMENT_FAILED = "PaymentFailed"
    SHIPPING_FAILED = "ShippingFailed"
    ORDER_COMPLETION_FAILED = "OrderCompletionFailed"
    # Requests to abort the whole saga (the orders service decides), and the decision.
    SAGA_TIMED_OUT = "SagaTimedOut"
    STEP_FAULTED = "StepFaulted"
    SAGA_ABORTED = "SagaAborted"
    # Compensations done (newest step first), and a compensation that gave up.
    SHIPMENT_CANCELLED = "ShipmentCancelled"
    PAYMENT_REFUNDED = "PaymentRefunded"
    INVENTORY_RELEASED = "InventoryReleased"
    ORDER_CANCELLED = "OrderCancelled"
    COMPENSATION_FAILED = "CompensationFailed"


Text = Annotated[str, Field(min_length=1, max_length=200)]
Count = Annotated[int, Field(strict=True, ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Line(_Strict):
    sku: Text
    quantity: Annotated[int, Field(strict=True, ge=1)]


class OrderSnapshot(_Strict):
    """What every service needs to act on the order, carried by every event."""

    order_id: Text
    customer_id: Text
    items: Annotated[list[Line], Field(min_length=1)]
    amount_minor: Count


class Reason(_Strict):
    """Why a step failed: the step name, a result or fault code, a human message."""

    step: Text
    code: str | None = None
    message: str | None = None


class EventData(_Strict):
    order: OrderSnapshot
    reason: Reason | None = None


class Envelope(_Strict):
    schema_version: Literal[1]
    event_id: Text
    type: EventType
    order_id: Text
    occurred_at: AwareDatetime
    causation_id: Text | None
    correlation_id: Text
    data: EventData

    @model_validator(mode="after")
    def _ids_agree(self) -> Envelope:
        if self.data.order.order_id != self.order_id:
            raise ValueError("data.order.order_id must equal order_id")
        if self.event_id != event_id(self.order_id, self.type):
            raise ValueError("event_id must be '{order_id}:{type}'")
        return self


class InvalidEvent(ValueError):
    """A body that is not a valid envelope: it is dead-lettered, never retried."""


def event_id(order_id: str, kind: EventType) -> str:
    return f"{order_id}:{kind}"


def first_event(
    kind: EventType, order: dict[str, Any], now: datetime, reason: dict[str, Any] | None = None
) -> Envelope:
    """An event with no cause (the saga's start, the watchdog's timeout): correlated by order id."""
    return _build(kind, order, None, order["order_id"], reason, now)


def follow(
    cause: Envelope, kind: EventType, now: datetime, reason: dict[str, Any] | None = None
) -> Envelope:
    """The event ``kind`` caused by ``cause``, for the same order and saga."""
    order = cause.data.order.model_dump()
    return _build(kind, order, cause.event_id, cause.correlation_id, reason, now)


def parse_event(body: str | bytes) -> Envelope:
    """The envelope in ``body``; InvalidEvent says what is wrong with it."""
    try:
        return Envelope.model_validate_json(body)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in error["loc"]) or "body"
        raise InvalidEvent(f"{where}: {error['msg']}") from None


def to_json(event: Envelope) -> str:
    return event.model_dump_json()


def to_dict(event: Envelope) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(to_json(event))
    return data


def _build(
    kind: EventType,
    order: dict[str, Any],
    causation_id: str | None,
    correlation_id: str,
    reason: dict[str, Any] | None,
    now: datetime,
) -> Envelope:
    return Envelope.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "event_id": event_id(order["order_id"], kind),
            "type": kind,
            "order_id": order["order_id"],
            "occurred_at": now,
            "causation_id": causation_id,
            "correlation_id": correlation_id,
            "data": {"order": order, "reason": reason},
        }
    )
