"""The orchestrated saga kinds behind the HTTP API: request model, instance id and orchestration
input for each. The instance id is derived from the business id, so starting is idempotent."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from config import Settings
from orchestrators.parallel import PARALLEL_SAGA
from orchestrators.policy import Policy
from orchestrators.sequential import SEQUENTIAL_SAGA
from saga.seed import DEFAULT_SKU
from triggers.validation import Item, ParallelRequest, SequentialRequest

GUEST_CUSTOMER = "guest"


@dataclass(frozen=True)
class SagaKind:
    """One saga flavour: its URL segment, orchestrator, request model and business id field."""

    name: str
    orchestrator: str
    model: type[SequentialRequest] | type[ParallelRequest]
    id_field: str

    def instance_id(self, business_id: str) -> str:
        return f"{self.name}-{business_id}"

    def orchestration_input(self, request: Any, settings: Settings) -> dict[str, Any]:
        """The order the saga works on, the policy it follows and a fingerprint of the order."""
        items = request.items or [Item(sku=DEFAULT_SKU, quantity=1)]
        order = {
            "order_id": getattr(request, self.id_field),
            "customer_id": request.customer_id or GUEST_CUSTOMER,
            "amount_minor": request.amount_minor(),
            "items": merge_items(items),
        }
        if request.simulate is not None:
            order["simulate"] = request.simulate.model_dump(exclude_defaults=True)
        return {
            "order": order,
            "policy": policy_from(settings).to_dict(),
            "fingerprint": fingerprint(order),
        }


KINDS = {
    "sequential": SagaKind("sequential", SEQUENTIAL_SAGA, SequentialRequest, "order_id"),
    "parallel": SagaKind("parallel", PARALLEL_SAGA, ParallelRequest, "batch_id"),
}


def kind_of_instance(instance_id: str) -> SagaKind | None:
    """The kind an instance id belongs to, or None for ids this API never hands out."""
    prefix = instance_id.split("-", 1)[0]
    kind = KINDS.get(prefix)
    return kind if kind and len(instance_id) > len(prefix) + 1 else None


def merge_items(items: list[Item]) -> list[dict[str, Any]]:
    """One line per SKU (quantities added), in order of first appearance."""
    merged: dict[str, int] = {}
    for item in items:
        merged[item.sku] = merged.get(item.sku, 0) + item.quantity
    return [{"sku": sku, "quantity": quantity} for sku, quantity in merged.items()]


def fingerprint(order: dict[str, Any]) -> str:
    canonical = json.dumps(order, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def policy_from(settings: Settings) -> Policy:
    return Policy(
        retry_first_interval_ms=settings.saga_retry_first_interval_ms,
        retry_max_attempts=settings.saga_retry_max_attempts,
        retry_backoff=settings.saga_retry_backoff,
        step_timeout_seconds=settings.saga_step_timeout_seconds,
        deadline_seconds=settings.saga_deadline_seconds,
        compensation_max_attempts=settings.saga_compensation_max_attempts,
    )
