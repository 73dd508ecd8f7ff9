"""The startup listing of functions and their URLs, and of the functions in error and why, in the
style of `func start`."""

from __future__ import annotations

from devhost.functions.app_index import FunctionIndex
from devhost.functions.http_functions import HttpRoute


def banner(index: FunctionIndex, routes: list[HttpRoute], base_url: str, prefix: str) -> str:
    root = f"{base_url}/{prefix}" if prefix else base_url
    lines = [f"dev host listening on {base_url}", f"dashboard: {base_url}/dashboard/"]
    lines += ["", "Functions:", ""]
    for route in sorted(routes, key=lambda r: r.function.name):
        methods = ",".join(sorted(route.methods)) if route.methods else "ALL"
        lines.append(f"        {route.function.name}: [{methods}] {root}/{route.template.template}")
    lines.append("")
    for function in sorted(index.functions.values(), key=lambda f: f.name):
        if function.trigger_type != "httpTrigger":
            lines.append(f"        {function.name}: {function.trigger_type}")
    if index.errors:
        lines += ["", f"The following {len(index.errors)} functions are in error:"]
        lines += [f"        {name}: {why}" for name, why in sorted(index.errors.items())]
    return "\n".join(lines)
