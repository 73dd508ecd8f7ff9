"""HTTP-triggered functions under /<routePrefix>/<route>: route templates with ASP.NET precedence,
method filters, func.HttpRequest in and func.HttpResponse out. A function that raises answers
as the Functions host does: 500 with an empty body; the traceback goes to the log only."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from aiohttp import web

from devhost.functions.app_index import IndexedFunction
from devhost.functions.invoker import FunctionInvoker
from devhost.functions.routing import RouteTemplate, compile_route

log = logging.getLogger("devhost.http")


@dataclass(frozen=True)
class HttpRoute:
    template: RouteTemplate
    methods: frozenset[str] | None  # None: every method
    function: IndexedFunction


def http_routes(functions: list[IndexedFunction]) -> list[HttpRoute]:
    """One route per HTTP function, most specific template first."""
    routes = []
    for function in functions:
        methods = function.trigger.get("methods")
        allowed = frozenset(m.upper() for m in methods) if methods else None
        template = compile_route(function.trigger.get("route") or function.name)
        routes.append(HttpRoute(template, allowed, function))
    return sorted(routes, key=lambda r: (r.template.precedence, r.template.template))


class HttpFunctions:
    def __init__(self, routes: list[HttpRoute], invoker: FunctionInvoker, prefix: str) -> None:
        self.routes = routes
        self._invoker = invoker
        self.prefix = prefix.strip("/")

    def add_routes(self, app: web.Application) -> None:
        path = f"/{self.prefix}/{{tail:.*}}" if self.prefix else "/{tail:.*}"
        app.router.add_route("*", path, self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path, method = request.match_info["tail"], request.method.upper()
        for route in self.routes:
            params = route.template.match(path)
            if params is not None and (route.methods is None or method in route.methods):
                return await self._call(route.function, request, params)
        return web.Response(status=404)

    async def _call(
        self, function: IndexedFunction, request: web.Request, params: dict[str, str]
    ) -> web.StreamResponse:
        http_request = func.HttpRequest(
            request.method.upper(),
            str(request.url),
            headers=dict(request.headers),
            params=dict(request.query),
            route_params=params,
            body=await request.read(),
        )
        try:
            result = await self._invoker.invoke(function, {function.trigger_param: http_request})
            return to_response(result)
        except Exception:
            log.exception("Exception while executing function: Functions.%s", function.name)
            return web.Response(status=500)


def to_response(result: Any) -> web.Response:
    """Map what an HTTP function returned to the wire, as the worker's converter does."""
    if result is None:
        return web.Response(status=204)
    if isinstance(result, str | bytes):
        body = result.encode() if isinstance(result, str) else result
        return web.Response(status=200, body=body, content_type="text/plain")
    if not isinstance(result, func.HttpResponse):
        raise TypeError(f"an HTTP function returned {type(result).__name__}, not HttpResponse")
    headers = dict(result.headers)
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = f"{result.mimetype}; charset={result.charset}"
    return web.Response(status=result.status_code, body=result.get_body(), headers=headers)
