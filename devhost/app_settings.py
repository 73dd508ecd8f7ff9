"""Binding values written as ``%NAME%`` are app-setting references, resolved from the environment
when the host starts, as the Functions host does (``event_hub_name="%EVENTHUB_NAME%"``)."""

from __future__ import annotations

import re
from collections.abc import Mapping

_REFERENCE = re.compile(r"%([^%]+)%")


def resolve_app_settings(value: str, env: Mapping[str, str], where: str) -> str:
    """Replace each ``%NAME%`` in ``value``; raise ValueError naming ``where`` if one is unset."""

    def setting(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ValueError(f"{where}: app setting {name!r} (from {value!r}) is not set")
        return env[name]

    return _REFERENCE.sub(setting, value)
