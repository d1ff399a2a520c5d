"""Who is asking: the identity behind the `empowerer_session` cookie, held server-side.

A visitor needs no account: the first write that needs an owner creates a guest identity and sets
the cookie (an opaque random token; the store keeps only its SHA-256). Reads without a cookie see
nothing of anybody's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from server.api.security import IDENTITY_COOKIE, cookie_header
from server.store import Identity, NewIdentity, SessionStore

COOKIE_MAX_AGE = 400 * 86400  # browsers cap cookie lifetimes at 400 days
MAX_TOKEN_CHARS = 200


async def get_store(request: Request) -> SessionStore:
    """The store opened by the app's lifespan."""
    store: SessionStore = request.app.state.store
    return store


StoreDep = Annotated[SessionStore, Depends(get_store)]


async def get_identity(request: Request) -> Identity | None:
    """The caller's identity, or None for a visitor without a (live) cookie.

    It runs on every request, so it takes the store from the app itself rather than through a
    sub-dependency (each one costs FastAPI tens of microseconds to resolve)."""
    token = request.cookies.get(IDENTITY_COOKIE)
    if not token or len(token) > MAX_TOKEN_CHARS:
        return None
    store: SessionStore = request.app.state.store
    return await store.identity_for_token(token)


IdentityDep = Annotated[Identity | None, Depends(get_identity)]


def set_identity_cookie(request: Request, response: Response, new: NewIdentity) -> None:
    """Hand a new identity's token to the browser: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    secure = request.url.scheme == "https"
    value = cookie_header(
        IDENTITY_COOKIE, new.token, secure=secure, http_only=True, max_age=COOKIE_MAX_AGE
    )
    response.headers.append("set-cookie", value.decode("latin-1"))
