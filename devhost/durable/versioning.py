"""Orchestration versioning as the Durable extension does it (host.json ``defaultVersion``,
``versionMatchStrategy``, ``versionFailureStrategy``): which version a new instance gets, and
whether this host may run an instance of a given version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from devhost.functions.host_config import HostConfigError

MATCH_STRATEGIES = ("None", "Strict", "CurrentOrOlder")
FAILURE_STRATEGIES = ("Reject", "Fail")
# DTFx's failure details message when versionFailureStrategy is Fail.
MISMATCH_MESSAGE = "Orchestration version did not comply with Worker Versioning"
_DOTTED = re.compile(r"\d+(\.\d+){1,3}")  # what System.Version parses


class VersioningError(HostConfigError):
    """host.json names a versioning strategy the extension does not know."""


def compare_versions(version: str | None, other: str | None) -> int:
    """DTFx's rules: empty equals empty and is older than any version; two System.Version
    strings compare by their parts; anything else compares as text, ignoring case."""
    if not version or not other:
        return (bool(version) > bool(other)) - (bool(version) < bool(other))
    if _DOTTED.fullmatch(version) and _DOTTED.fullmatch(other):
        left = tuple(int(p) for p in version.split("."))
        right = tuple(int(p) for p in other.split("."))
    else:
        left, right = version.lower(), other.lower()  # type: ignore[assignment]
    return (left > right) - (left < right)


@dataclass(frozen=True)
class Versioning:
    default_version: str = ""
    match: str = "CurrentOrOlder"  # the extension's defaults
    failure: str = "Reject"

    def verdict(self, version: str) -> str:
        """ "run", or what to do with an instance this host must not run: "reject" (leave it
        for a host of a matching version) or "fail"."""
        if self.match == "Strict":
            ok = version == self.default_version
        elif self.match == "CurrentOrOlder":
            ok = compare_versions(version, self.default_version) <= 0
        else:
            ok = True
        return "run" if ok else self.failure.lower()


def versioning_settings(host_json: dict[str, Any]) -> Versioning:
    """The durableTask versioning settings; an unknown strategy name is refused at start."""
    durable = host_json.get("extensions", {}).get("durableTask", {})
    match = _strategy(durable, "versionMatchStrategy", MATCH_STRATEGIES)
    failure = _strategy(durable, "versionFailureStrategy", FAILURE_STRATEGIES)
    return Versioning(str(durable.get("defaultVersion") or ""), match, failure)


def _strategy(durable: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str:
    """The setting's canonical spelling (the extension reads enum names in any case)."""
    value = str(durable.get(name, allowed[-1] if name == "versionMatchStrategy" else allowed[0]))
    for known in allowed:
        if known.lower() == value.lower():
            return known
    raise VersioningError(
        f"host.json extensions.durableTask.{name} is {value!r}; use one of {allowed}"
    )
