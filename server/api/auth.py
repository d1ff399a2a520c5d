"""Accounts: sign up, log in, log out, who am I, change my password; the admin's user list.

The identity cookie carries an opaque token; the server keeps its SHA-256 and can revoke it, so
logging out (or changing the password, for the other sessions) kills the session on the server.
Passwords are never logged nor returned: validation errors never echo the input.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from server.api.identity import COOKIE_MAX_AGE, IdentityDep
from server.api.refusals import declare
from server.api.security import IDENTITY_COOKIE, cookie_header
from server.api.sessions import check_text
from server.service.accounts import AccountService
from server.service.desk_views import User

router = APIRouter(prefix="/auth", tags=["accounts"])
users_router = APIRouter(prefix="/users", tags=["accounts"])


async def get_accounts(request: Request) -> AccountService:
    service: AccountService = request.app.state.accounts
    return service


AccountsDep = Annotated[AccountService, Depends(get_accounts)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class Signup(_Strict):
    email: str = Field(min_length=3, max_length=254, description="name@example.org")
    password: str = Field(min_length=10, max_length=200)
    name: str = Field(min_length=1, max_length=100)

    @field_validator("email", "password", "name")
    @classmethod
    def _clean(cls, value: str, info: object) -> str:
        return check_text(value, getattr(info, "field_name", "text"))

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name is empty: say what to call you")
        return value


class Login(_Strict):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=200)

    @field_validator("email", "password")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "the value")


class PasswordChange(_Strict):
    current: str = Field(min_length=1, max_length=200)
    new: str = Field(min_length=10, max_length=200)

    @field_validator("current", "new")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "the password")


class RoleChange(_Strict):
    role: Literal["trainee", "facilitator", "admin"]


def set_token_cookie(request: Request, response: Response, token: str) -> None:
    """The identity cookie naming a new server-side session: HttpOnly, SameSite=Lax, Secure over
    HTTPS."""
    secure = request.url.scheme == "https"
    value = cookie_header(
        IDENTITY_COOKIE, token, secure=secure, http_only=True, max_age=COOKIE_MAX_AGE
    )
    response.headers.append("set-cookie", value.decode("latin-1"))


def clear_token_cookie(request: Request, response: Response) -> None:
    secure = request.url.scheme == "https"
    value = cookie_header(IDENTITY_COOKIE, "", secure=secure, http_only=True, max_age=0)
    response.headers.append("set-cookie", value.decode("latin-1"))


def current_token(request: Request) -> str | None:
    token = request.cookies.get(IDENTITY_COOKIE)
    return token if token and len(token) <= 200 else None


@router.post("/signup", status_code=201, responses=declare(409, write=True))
async def signup(
    payload: Signup,
    request: Request,
    response: Response,
    identity: IdentityDep,
    accounts: AccountsDep,
) -> User:
    """Create an account and log in; a guest keeps their sessions. The first account is the admin."""
    done = await accounts.signup(
        payload.email, payload.password, payload.name, identity, current_token(request)
    )
    set_token_cookie(request, response, done.token)
    return done.user


@router.post("/login", responses=declare(401, 429, write=True))
async def login(
    payload: Login,
    request: Request,
    response: Response,
    identity: IdentityDep,
    accounts: AccountsDep,
) -> User:
    """Log in (5 failures per email per 15 minutes, then 429 with Retry-After)."""
    address = request.client.host if request.client else "unknown"
    done = await accounts.login(
        payload.email, payload.password, address, identity, current_token(request)
    )
    set_token_cookie(request, response, done.token)
    return done.user


@router.post("/logout", status_code=204, responses=declare(write=True))
async def logout(request: Request, accounts: AccountsDep) -> Response:
    """Revoke this server-side session: the cookie is worth nothing afterwards, even replayed."""
    await accounts.logout(current_token(request))
    response = Response(status_code=204)
    clear_token_cookie(request, response)
    return response


@router.get("/me", responses=declare(401))
async def me(identity: IdentityDep, accounts: AccountsDep) -> User:
    """Who I am: an account, a guest (role "guest"), or 401 without a live session."""
    return await accounts.me(identity)


@router.post("/password", status_code=204, responses=declare(401, write=True))
async def change_password(
    payload: PasswordChange, request: Request, identity: IdentityDep, accounts: AccountsDep
) -> Response:
    """Change my password; every other server-side session of mine is revoked."""
    token = current_token(request) or ""
    await accounts.change_password(identity, payload.current, payload.new, token)
    return Response(status_code=204)


@users_router.get("", responses=declare(401, 403))
async def list_users(identity: IdentityDep, accounts: AccountsDep) -> list[User]:
    """Every account (admins only)."""
    return await accounts.users(identity)


@users_router.patch("/{user_id}", responses=declare(401, 404, 409, write=True))
async def change_role(
    user_id: str, payload: RoleChange, identity: IdentityDep, accounts: AccountsDep
) -> User:
    """Change an account's role (admins only)."""
    return await accounts.set_role(identity, user_id, payload.role)
