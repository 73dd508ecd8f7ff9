"""The orchestrated saga kinds behind the HTTP API: request model, instance id and orchestration
input for each. The instance id is derived from the business id, so starting is idempotent."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from activities.order_sagas import PARALLEL, SEQUENTIAL
from orchestrators.policy import Policy
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

    def orchestration_input(self, request: Any, policy: Policy) -> dict[str, Any]:
        """The order the saga works on, the policy it follows and a fingerprint of the request
        (the order and its failure injection block, which is stored apart: ``simulate_of``)."""
        items = request.items or [Item(sku=DEFAULT_SKU, quantity=1)]
        order = {
            "order_id": getattr(request, self.id_field),
            "customer_id": request.customer_id or GUEST_CUSTOMER,
            "amount_minor": request.amount_minor(),
            "items": merge_items(items),
        }
        simulate = simulate_of(request)
        fingerprinted = order if simulate is None else {**order, "simulate": simulate}
        return {
            "input": order,
            "policy": policy.to_dict(),
            "fingerprint": fingerprint(fingerprinted),
        }


KINDS = {
    "sequential": SagaKind("sequential", SEQUENTIAL.name, SequentialRequest, "order_id"),
    "parallel": SagaKind("parallel", PARALLEL.name, ParallelRequest, "batch_id"),
}


def kind_of_instance(instance_id: str) -> SagaKind | None:
    """The kind an instance id belongs to, or None for ids this API never hands out."""
    prefix = instance_id.split("-", 1)[0]
    kind = KINDS.get(prefix)
    return kind if kind and len(instance_id) > len(prefix) + 1 else None


def simulate_of(request: Any) -> dict[str, Any] | None:
    """The request's failure injection block, as the fault injector stores it."""
    simulate = request.simulate
    return None if simulate is None else simulate.model_dump(exclude_defaults=True)


def merge_items(items: list[Item]) -> list[dict[str, Any]]:
    """One line per SKU (quantities added), in order of first appearance."""
    merged: dict[str, int] = {}
    for item in items:
        merged[item.sku] = merged.get(item.sku, 0) + item.quantity
    return [{"sku": sku, "quantity": quantity} for sku, quantity in merged.items()]


def fingerprint(order: dict[str, Any]) -> str:
    canonical = json.dumps(order, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
