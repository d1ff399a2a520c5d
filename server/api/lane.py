"""The routes of a practice session, straight to their handlers.

A practice session is ~19 requests: a create, ~15 turns, a report, an end (and a health check from
the page). For a well-formed request to one of these, this middleware calls the route's own
function itself, skipping Starlette's routing and FastAPI's request handling and parameter
resolution: 8% of a turn's CPU, 242k of its 2.93M instructions (`benchmarks/instructions.py`).

It sits inside the security middleware, so the body cap, the content type, CSRF and the security
headers apply as to any other request. A request it does not recognise as well-formed (a body the
model refuses, an odd key, another method or path) goes on to FastAPI unchanged, its body handed
on if it was read, so every error and edge case answers as the OpenAPI schema says. An error
raised by a route's function is rendered by the app's own exception handlers, as FastAPI would.
It is not installed when FastAPI's telemetry is on (its spans and metrics are per route).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response

from server.api import health, sessions
from server.api.security import ASGIApp, Message, Receive, Scope, Send
from server.service.views import to_json

# A route's function, given the request and the path's groups: its answer, or None for FastAPI.
Handler = Callable[..., Awaitable[Response | None]]


async def _health(request: Request) -> Response:
    return sessions.json_response(to_json(await health.read_health()))


async def _create(request: Request) -> Response | None:
    payload = await sessions.plain_body(request, sessions.SessionCreate)
    if payload is None:
        return None
    return await sessions.create_session(payload, request)


async def _turn(request: Request, session_id: str) -> Response | None:
    payload = await sessions.plain_turn(request)
    if payload is None:
        return None
    key = request.headers.get("idempotency-key")
    return await sessions.create_turn(session_id, payload, request, key)


async def _report(request: Request, session_id: str) -> Response:
    return await sessions.read_report(session_id, request)


async def _end(request: Request, session_id: str) -> Response:
    return await sessions.end_session(session_id, request)


SESSION = r"/api/sessions/([^/]+)"
ROUTES: tuple[tuple[str, re.Pattern[str], Handler], ...] = (
    ("POST", re.compile(rf"^{SESSION}/turns$"), _turn),
    ("GET", re.compile(r"^/api/health$"), _health),
    ("POST", re.compile(r"^/api/sessions$"), _create),
    ("GET", re.compile(rf"^{SESSION}/report$"), _report),
    ("POST", re.compile(rf"^{SESSION}/end$"), _end),
)


class SessionLane:
    """The middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Routes are matched on the path as given, so not behind a `root_path` (a proxy's prefix).
        if scope["type"] == "http" and not scope.get("root_path"):
            for method, path, handler in ROUTES:
                if scope["method"] == method:
                    found = path.match(scope["path"])
                    if found is not None:
                        await self._handle(scope, receive, send, handler, found.groups())
                        return
        await self.app(scope, receive, send)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, handler: Handler, groups: Any
    ) -> None:
        app: FastAPI = scope["app"]
        request = Request(scope, receive)
        try:
            response = await handler(request, *groups)
        except Exception as exc:
            response = await _rendered(app, request, exc)
        if response is None:  # FastAPI answers, with the body if it was read here
            await self.app(scope, _replay(request, receive), send)
            return
        await response(scope, receive, send)


async def _rendered(app: FastAPI, request: Request, exc: Exception) -> Response:
    """The answer the app's exception handlers give (none: the error goes on, to become a 500)."""
    for cls in type(exc).__mro__:
        handler = app.exception_handlers.get(cls)
        if handler is not None:
            answer = handler(request, exc)
            response: Response = await answer if inspect.isawaitable(answer) else answer
            return response
    raise exc


def _replay(request: Request, receive: Receive) -> Receive:
    """`receive` for FastAPI: the body once more if this request read it, else the socket's.
    (Starlette keeps a body it has read as `Request._body`; FastAPI's own fast path for a read
    body relies on the same.)"""
    body: bytes | None = getattr(request, "_body", None)
    if body is None:
        return receive
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # nothing more: a disconnect, when the client goes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
