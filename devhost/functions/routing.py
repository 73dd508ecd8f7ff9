"""ASP.NET route templates as the Functions host reads them: ``{name}``, ``{name?}``,
``{name:int}``, ``{name=default}``, ``{*rest}``; literal segments match case-insensitively."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAMETER = re.compile(r"\{([^{}]+)\}")
# Constraint -> pattern for one segment; unknown constraints (min(1), length(3)...) only check
# that the segment is present.
_CONSTRAINTS = {
    "int": r"-?\d+",
    "long": r"-?\d+",
    "bool": r"(?i:true|false)",
    "alpha": r"[A-Za-z]+",
    "guid": r"[0-9A-Fa-f]{8}-?(?:[0-9A-Fa-f]{4}-?){3}[0-9A-Fa-f]{12}",
    "decimal": r"-?\d+(?:\.\d+)?",
    "double": r"-?\d+(?:\.\d+)?",
    "float": r"-?\d+(?:\.\d+)?",
}
# Segment ranks for precedence (lower wins), as in ASP.NET routing.
_LITERAL, _CONSTRAINED, _PLAIN, _CATCH_ALL = 1, 2, 3, 5


@dataclass(frozen=True)
class RouteTemplate:
    template: str
    pattern: re.Pattern[str]
    defaults: dict[str, str]
    precedence: tuple[int, ...]

    def match(self, path: str) -> dict[str, str] | None:
        """The route parameters when ``path`` (no leading slash) matches, else None."""
        found = self.pattern.fullmatch(path.strip("/"))
        if found is None:
            return None
        values = {k: v for k, v in found.groupdict().items() if v is not None}
        return {**self.defaults, **values}


def compile_route(template: str) -> RouteTemplate:
    regex, defaults, ranks = "", dict[str, str](), list[int]()
    for position, segment in enumerate(template.strip("/").split("/")):
        part, optional, rank = _segment(segment, defaults)
        separator = "/" if position else ""
        regex += f"(?:{separator}{part})?" if optional else separator + part
        ranks.append(rank)
    return RouteTemplate(template, re.compile(regex, re.IGNORECASE), defaults, tuple(ranks))


def _segment(segment: str, defaults: dict[str, str]) -> tuple[str, bool, int]:
    """Regex for one segment, whether it may be left out, and its precedence rank."""
    parameters = list(_PARAMETER.finditer(segment))
    if not parameters:
        return re.escape(segment), False, _LITERAL
    regex, last, optional, rank = "", 0, False, _PLAIN
    for parameter in parameters:
        regex += re.escape(segment[last : parameter.start()])
        part, optional, rank = _parameter(parameter.group(1), defaults)
        regex += part
        last = parameter.end()
    regex += re.escape(segment[last:])
    return regex, optional and len(parameters) == 1, rank


def _parameter(spec: str, defaults: dict[str, str]) -> tuple[str, bool, int]:
    if spec.startswith("*"):
        name = spec.lstrip("*")
        return f"(?P<{name}>.*)", True, _CATCH_ALL
    spec, _, default = spec.partition("=")
    optional = spec.endswith("?") or bool(default)
    name, *constraints = spec.rstrip("?").split(":")
    if default:
        defaults[name] = default
    known = [_CONSTRAINTS[c.lower()] for c in constraints if c.lower() in _CONSTRAINTS]
    value = known[0] if known else r"[^/]+"
    return f"(?P<{name}>{value})", optional, _CONSTRAINED if constraints else _PLAIN
