"""Binding values written as ``%NAME%`` are app-setting references, resolved from the environment
when the host starts, as the Functions host does (``event_hub_name="%EVENTHUB_NAME%"``). A
function whose trigger cannot be set up is "in error" and does not run; the rest of the app does."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import TypeVar

from devhost.functions.app_index import IndexedFunction

log = logging.getLogger("devhost")
_REFERENCE = re.compile(r"%([^%]+)%")
T = TypeVar("T")


def resolve_app_settings(value: str, env: Mapping[str, str], where: str) -> str:
    """Replace each ``%NAME%`` in ``value``; raise ValueError naming ``where`` if one is unset (an
    empty value counts as unset: it names no hub, schedule or queue)."""

    def setting(match: re.Match[str]) -> str:
        name = match.group(1)
        if not env.get(name):
            raise ValueError(f"{where}: app setting {name!r} (from {value!r}) is not set")
        return env[name]

    return _REFERENCE.sub(setting, value)


def describe_triggers(
    functions: Iterable[IndexedFunction],
    trigger_type: str,
    describe: Callable[[IndexedFunction], T],
    errors: MutableMapping[str, str] | None = None,
) -> list[T]:
    """``describe`` each function with that trigger; one it refuses (ValueError) is logged as in
    error, recorded in ``errors`` (name -> why) and left out, as the Functions host does."""
    described = []
    for function in functions:
        if function.trigger_type != trigger_type:
            continue
        try:
            described.append(describe(function))
        except ValueError as exc:
            log.error("%s; the function is in error and will not run", exc)
            if errors is not None:
                errors[function.name] = str(exc).removeprefix(f"function {function.name!r}: ")
    return described
