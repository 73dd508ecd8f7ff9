"""The uniform JSON-safe result every service returns: business failures are results, not raises.

Shape: ``{"ok": bool, "code": str | None, "message": str | None, **step_data}``; the runner names
the step, so a result does not.
"""

from __future__ import annotations

from typing import Any

Result = dict[str, Any]

OUT_OF_STOCK = "out_of_stock"
UNKNOWN_SKU = "unknown_sku"
UNKNOWN_ORDER = "unknown_order"
INVALID_ORDER = "invalid_order"
NOT_RESERVED = "not_reserved"
PAYMENT_DECLINED = "payment_declined"
COMPENSATED = "compensated"  # a late forward step met the tombstone its compensation left
ORDER_CONFLICT = "order_conflict"
ORDER_CANCELLED = "order_cancelled"


def success(**data: Any) -> Result:
    """A step that took effect (or had already taken effect)."""
    return {"ok": True, "code": None, "message": None, **data}


def failure(code: str, message: str, **data: Any) -> Result:
    """A step a business rule refused; ``code`` is one of the constants above."""
    return {"ok": False, "code": code, "message": message, **data}
