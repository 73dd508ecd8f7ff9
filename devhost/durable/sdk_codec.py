"""Faster equivalents of the Durable JSON codec (azure.functions ``df_dumps``/``df_loads``) for
plain JSON, which is what almost every payload is. Every replay runs them dozens of times: each
call reads the strict-typing setting from the environment and builds a new encoder or decoder
(with a Python ``object_hook`` called for every object). The fast paths give the same result:

- ``df_dumps``: ``json.dumps`` with the shared default encoder; a value it cannot encode (a custom
  object) goes to the SDK's own function, which would have called its ``default`` hook for it;
- ``df_loads`` without ``expected_type``: plain ``json.loads`` for text that cannot hold a
  custom-object envelope (no ``__class__`` in it, no ``\\u`` escape that could spell one), once
  the SDK's one-time advisory has been given; anything else goes to the SDK's function."""

from __future__ import annotations

import json
import sys
from typing import Any

_CODEC_MODULE = "azure.functions._durable_functions"
# The SDK's one-time "df_loads was called without expected_type" advisory: let it speak first.
NOTICE_GIVEN = "_no_expected_type_notice_emitted"
_PATCHED_PACKAGES = ("azure.functions", "azure.durable_functions")


def fast_codec(codec: Any) -> tuple[Any, Any]:
    """``(df_dumps, df_loads)`` with fast paths in front of ``codec``'s own."""
    sdk_dumps, sdk_loads = codec.df_dumps, codec.df_loads

    def df_dumps(value: Any) -> str:
        try:
            return json.dumps(value)
        except TypeError:
            return str(sdk_dumps(value))

    def df_loads(s: str, expected_type: type | None = None) -> Any:
        plain = isinstance(s, str) and "__class__" not in s and "\\u" not in s
        if expected_type is None and plain and getattr(codec, NOTICE_GIVEN, True):
            return json.loads(s)
        return sdk_loads(s, expected_type)

    df_dumps.sdk_function = sdk_dumps  # type: ignore[attr-defined]
    df_loads.sdk_function = sdk_loads  # type: ignore[attr-defined]
    return df_dumps, df_loads


def install() -> None:
    """Point the codec module and every SDK module that imported its functions at the fast
    paths (idempotent)."""
    import azure.durable_functions  # noqa: F401  (imports every module that binds the codec)

    codec = sys.modules[_CODEC_MODULE]
    if hasattr(codec.df_dumps, "sdk_function"):
        return
    originals = {"df_dumps": codec.df_dumps, "df_loads": codec.df_loads}
    fast = dict(zip(originals, fast_codec(codec), strict=True))
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(_PATCHED_PACKAGES):
            continue
        for attribute, original in originals.items():
            if getattr(module, attribute, None) is original:
                setattr(module, attribute, fast[attribute])
