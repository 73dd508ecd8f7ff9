"""Request bodies of the saga starters: strict JSON parsing and pydantic models whose errors
name the offending field. Money leaves here as integer minor units."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

MAX_BODY_BYTES = 64 * 1024
MAX_AMOUNT = Decimal("1000000000")
# Instance ids may not contain / \ # ? or control characters; keep ids boring and printable.
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")]
Quantity = Annotated[int, Field(strict=True, ge=1, le=10_000)]


class RequestError(ValueError):
    """A client error: becomes HTTP 400 with ``{"error": code, "message": ...}``."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.field = code, message, field

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "field": self.field}


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    sku: Identifier
    quantity: Quantity = 1


def _known_service(name: str) -> str:
    known = services()
    if name not in known:
        raise ValueError(f"must be one of {', '.join(known)}")
    return name


def services() -> list[str]:
    """The services the sagas' steps declare (``Step.service``)."""
    from activities.order_sagas import SAGAS

    return sorted({step.service for saga in SAGAS for step in saga.steps() if step.service})


Service = Annotated[str, AfterValidator(_known_service)]
FaultCount = Annotated[int, Field(strict=True, ge=0, le=100)]


class Simulate(BaseModel):
    """Failure injection (only accepted when SAGA_FAULT_INJECTION=true)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    fail_at: Service | None = None
    transient_faults: dict[Service, FaultCount] = {}
    fail_compensation: dict[Service, FaultCount] = {}
    delay_seconds: dict[Service, Annotated[int, Field(strict=True, ge=0, le=300)]] = {}
    # At-least-once at its worst: every activity's service call is made twice, every
    # choreography event of the saga is delivered twice.
    duplicate: Annotated[bool, Field(strict=True)] = False


class _SagaRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    amount: Decimal | None = None
    customer_id: Identifier | None = None
    simulate: Simulate | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _amount_is_a_positive_number(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError("must be a number")
        amount = Decimal(value)
        if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
            raise ValueError(f"must be greater than 0 and at most {MAX_AMOUNT}")
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError("must have at most 2 decimal places")
        return amount

    def amount_minor(self) -> int | None:
        return None if self.amount is None else int(self.amount * 100)


class SequentialRequest(_SagaRequest):
    order_id: Identifier
    amount: Decimal
    items: list[Item] | None = Field(default=None, min_length=1)


class ParallelRequest(_SagaRequest):
    batch_id: Identifier
    items: list[Item] = Field(min_length=1)

    @field_validator("items", mode="before")
    @classmethod
    def _bare_skus_mean_one_unit(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"sku": v} if isinstance(v, str) else v for v in value]
        return value


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """Decode a JSON object strictly: no NaN/Infinity, no duplicate keys, bounded size."""
    if content_type and "json" not in content_type.lower():
        raise RequestError("unsupported_content_type", "Content-Type must be application/json")
    if len(raw) > MAX_BODY_BYTES:
        raise RequestError("body_too_large", f"body must be at most {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(
            raw,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_keys,
        )
    except RequestError:
        raise
    except (ValueError, RecursionError, InvalidOperation):
        raise RequestError("malformed_json", "body is not valid JSON") from None
    if not isinstance(data, dict):
        raise RequestError("invalid_request", "body must be a JSON object")
    return data


def validate(
    model: type[_SagaRequest], data: dict[str, Any], max_items: int, allow_simulate: bool = False
) -> Any:
    """Build ``model`` from ``data`` or raise RequestError naming the first bad field."""
    if "simulate" in data and not allow_simulate:
        raise RequestError("unknown_field", "unknown field 'simulate'", "simulate")
    try:
        request = model.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc) from None
    items = getattr(request, "items", None) or []
    if len(items) > max_items:
        raise RequestError("invalid_request", f"items: at most {max_items} items", "items")
    return request


def _first_error(exc: ValidationError) -> RequestError:
    error = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in error["loc"]) or None
    if error["type"] == "extra_forbidden":
        return RequestError("unknown_field", f"unknown field '{field}'", field)
    if error["type"] == "missing":
        return RequestError("invalid_request", f"{field}: is required", field)
    if error["type"] == "string_pattern_mismatch":
        message = "must be 1-64 characters: letters, digits, '_', '.', ':' or '-'"
        return RequestError("invalid_request", f"{field}: {message}", field)
    message = error["msg"].removeprefix("Value error, ")
    return RequestError("invalid_request", f"{field}: {message}", field)


def _reject_constant(name: str) -> Any:
    raise RequestError("malformed_json", f"{name} is not allowed in JSON bodies")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise RequestError("malformed_json", "duplicate keys in JSON object")
    return dict(pairs)
