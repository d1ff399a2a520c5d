"""Edge protection as one pure ASGI middleware: body-size cap, content type, CSRF, headers.

- A request body over `max_body_bytes` gets 413 (by Content-Length at once, else while it streams).
- A write whose body is not declared as JSON gets 415.
- CSRF, double submit: a write from a client holding the identity cookie must carry `X-CSRF-Token`
  equal to the `empowerer_csrf` cookie, or gets 403. Any response to a client without that cookie
  sets it.
- Every response carries the security headers of docs/API.md.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import cookie_parser

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

IDENTITY_COOKIE = "empowerer_session"
CSRF_COOKIE = "empowerer_csrf"
CSRF_HEADER = b"x-csrf-token"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_REFUSAL = "Missing or wrong X-CSRF-Token header: send the value of the empowerer_csrf cookie."
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# The interactive API docs load Swagger UI / ReDoc from a CDN with an inline bootstrap script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def _headers(csp: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
    ]


SECURITY_HEADERS = _headers(CSP)
DOCS_HEADERS = _headers(DOCS_CSP)


def cookie_header(name: str, value: str, *, secure: bool, http_only: bool, max_age: int) -> bytes:
    """A Set-Cookie value: path /, SameSite=Lax, Secure over HTTPS."""
    parts = [f"{name}={value}", "Path=/", "SameSite=Lax", f"Max-Age={max_age}"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def request_cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies (the last Cookie header wins, as Starlette does)."""
    raw = b"; ".join(v for k, v in scope.get("headers", ()) if k == b"cookie")
    return cookie_parser(raw.decode("latin-1")) if raw else {}


def header(scope: Scope, name: bytes) -> bytes | None:
    """One request header's value."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def is_json(content_type: bytes) -> bool:
    """application/json or any +json type."""
    mime = content_type.split(b";", 1)[0].strip().lower()
    return mime == b"application/json" or (
        mime.startswith(b"application/") and mime.endswith(b"+json")
    )


async def send_json(send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]]) -> None:
    """A small JSON error response."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": body})


class SecurityMiddleware:
    """Wraps the whole app (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, max_body_bytes: int, cookie_max_age: int = 400 * 86400
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.cookie_max_age = cookie_max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = request_cookies(scope)
        extra = list(DOCS_HEADERS if scope.get("path") in DOCS_PATHS else SECURITY_HEADERS)
        if CSRF_COOKIE not in cookies:
            secure = scope.get("scheme") == "https"
            value = secrets.token_urlsafe(32)
            scope.setdefault("state", {})["csrf_token"] = value
            extra.append(
                (
                    b"set-cookie",
                    cookie_header(
                        CSRF_COOKIE,
                        value,
                        secure=secure,
                        http_only=False,
                        max_age=self.cookie_max_age,
                    ),
                )
            )
        refusal = self._refusal(scope, cookies)
        if refusal is not None:
            await send_json(send, refusal[0], refusal[1], extra)
            return
        await self._forward(scope, receive, send, extra)

    def _refusal(self, scope: Scope, cookies: dict[str, str]) -> tuple[int, str] | None:
        if scope["method"] not in WRITES:
            return None
        length = header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return 413, f"The request body is too large: send at most {self.max_body_bytes} bytes."
        content_type = header(scope, b"content-type")
        if content_type is not None and length != b"0" and not is_json(content_type):
            return 415, "Send the body as JSON with Content-Type: application/json."
        if IDENTITY_COOKIE in cookies:
            sent = header(scope, CSRF_HEADER) or b""
            expected = cookies.get(CSRF_COOKIE, "").encode("latin-1", "replace")
            if not expected or not hmac.compare_digest(sent, expected):
                return 403, CSRF_REFUSAL
        return None

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, extra: list[tuple[bytes, bytes]]
    ) -> None:
        received = 0
        limit = self.max_body_bytes

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(
                        413, f"The request body is too large: send at most {limit} bytes."
                    )
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, capped_receive, send_with_headers)
