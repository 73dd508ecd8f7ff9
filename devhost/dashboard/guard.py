"""Safe by default: a browser's write request to the management API (it carries an Origin header)
is refused unless it comes from this host's own pages, and from a loopback client. So the
dashboard is read-only for other machines when the host binds beyond loopback, and no other web
page can drive it. The app's own HTTP functions are left as they are."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable

from aiohttp import web

from devhost.management.client_binding import WEBHOOK_PATH

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def binds_loopback(host: str) -> bool:
    return host == "localhost" or is_loopback(host)


def refusal(request: web.Request) -> str | None:
    """Why a write request is refused, or None. Requests without Origin (curl, the Durable
    client, the app's own HTTP calls) are not the dashboard's and pass as before."""
    origin = request.headers.get("Origin")
    guarded = request.path.startswith(WEBHOOK_PATH)
    if request.method not in WRITES or origin is None or not guarded:
        return None
    if not is_loopback(request.remote):
        return "the dashboard's write actions are only accepted from this machine (loopback)"
    if origin != str(request.url.origin()):
        return f"write requests from pages of {origin} are refused"
    return None


@web.middleware
async def guard_browser_writes(request: web.Request, handler: Handler) -> web.StreamResponse:
    reason = refusal(request)
    if reason is not None:
        return web.json_response({"error": "forbidden", "message": reason}, status=403)
    return await handler(request)
