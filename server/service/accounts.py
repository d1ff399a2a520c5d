"""Accounts: sign up, log in, log out, change a password, roles. No HTTP here.

Passwords are hashed with argon2id (argon2-cffi, OWASP's minimum parameters: 19 MiB, 2 passes) in a
worker thread, and never logged nor returned. Logging in or signing up creates a new server-side
token (the old one is revoked, so a cookie planted before login is worth nothing); a guest's
sessions and walkthroughs are adopted by the account. Failed logins are counted in the database per
email and per client address, so every server process shares the limit.
"""

from __future__ import annotations

import asyncio
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from server.service.desk_views import User
from server.service.errors import (
    ADMIN_ONLY,
    LOG_IN,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    TooMany,
    Unauthorized,
)
from server.store import GUEST, USER, Identity, NewIdentity, SessionStore, new_id, new_token, utcnow
from server.store import accounts as sql
from server.store.accounts import ADMIN, Account

HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
WINDOW = timedelta(minutes=15)
EMAIL_LIMIT = 5
ADDRESS_LIMIT = 30
WRONG = "Wrong email or password."
_DUMMY: list[str] = []


def normalise_email(raw: str) -> str:
    """Trimmed and lower-cased, or 422 saying what a valid email looks like."""
    email = raw.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise Invalid("email must look like name@example.org.")
    return email


def user_view(account: Account) -> User:
    """The public view of an account."""
    return User(id=account.id, email=account.email, name=account.name, role=account.role)


def guest_view(identity: Identity) -> User:
    return User(id=identity.id, email=None, name=None, role="guest")


def role_of(identity: Identity | None) -> str:
    """'anonymous', 'guest', 'trainee', 'facilitator' or 'admin'."""
    if identity is None:
        return "anonymous"
    if identity.kind != USER or identity.role is None:
        return "guest"
    return identity.role


def require_account(identity: Identity | None) -> Identity:
    """The caller's account identity, or 401."""
    if identity is None or identity.kind != USER or identity.role is None:
        raise Unauthorized(LOG_IN)
    return identity


def require_admin(identity: Identity | None) -> Identity:
    account = require_account(identity)
    if account.role != ADMIN:
        raise Forbidden(ADMIN_ONLY)
    return account


def _hash(password: str) -> str:
    return HASHER.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    """A hash to verify against when the email is unknown (same time as a real check)."""
    if not _DUMMY:
        _DUMMY.append(_hash(new_token()))
    return _DUMMY[0]


@dataclass(frozen=True, slots=True)
class LoggedIn:
    """A new server-side session: the user and the cookie token to hand over."""

    user: User
    token: str


class AccountService:
    """Everything the auth and user routes do."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store

    async def signup(
        self,
        email: str,
        password: str,
        name: str,
        identity: Identity | None,
        old_token: str | None,
    ) -> LoggedIn:
        """Create an account (the first on an empty database is the admin) and log it in."""
        email = normalise_email(email)
        hashed = await asyncio.to_thread(_hash, password)
        new = NewIdentity(Identity(new_id(), USER, utcnow()), new_token())
        guest_id = identity.id if identity is not None and identity.kind == GUEST else None
        job = partial(
            sql.signup,
            new=new,
            email=email,
            name=name.strip(),
            password_hash=hashed,
            old_token=old_token if identity is not None else None,
            guest_id=guest_id,
        )
        account = await self.store.write(job)
        if account is None:
            raise Conflict("An account with this email exists: log in instead.")
        return LoggedIn(user_view(account), new.token)

    async def create_admin(self, email: str, password: str, name: str) -> User:
        """An admin account (the `empowerer admin create` command)."""
        email = normalise_email(email)
        hashed = await asyncio.to_thread(_hash, password)
        new = NewIdentity(Identity(new_id(), USER, utcnow()), new_token())
        job = partial(
            sql.create_account,
            new=new,
            email=email,
            name=name.strip(),
            password_hash=hashed,
            role=ADMIN,
        )
        account = await self.store.write(job)
        if account is None:
            raise Conflict("An account with this email exists.")
        return user_view(account)

    async def login(
        self,
        email: str,
        password: str,
        address: str,
        identity: Identity | None,
        old_token: str | None,
    ) -> LoggedIn:
        """Check the password (rate-limited per email and address) and start a new session."""
        email = email.strip().lower()
        email_key, address_key = sql.limit_key("email", email), sql.limit_key("ip", address)
        now = utcnow()
        since = now - WINDOW
        failures = await self.store.read(
            partial(sql.failures_since, keys=[email_key, address_key], since=since)
        )
        blocked = [
            times[-limit]
            for times, limit in (
                (failures[email_key], EMAIL_LIMIT),
                (failures[address_key], ADDRESS_LIMIT),
            )
            if len(times) >= limit
        ]
        if blocked:
            wait = max(1, math.ceil((max(blocked) + WINDOW - now).total_seconds()))
            raise TooMany(
                f"Too many failed logins: try again in {math.ceil(wait / 60)} minute(s).",
                headers={"Retry-After": str(wait)},
            )
        account = await self.store.read(partial(sql.by_email, email=email))
        stored = account.password_hash if account is not None else _dummy_hash()
        ok = await asyncio.to_thread(_verify, stored, password)
        if account is None or not ok:
            keys = [email_key, address_key]
            await self.store.write(partial(sql.record_failure, keys=keys, at=now, keep=WINDOW))
            raise Unauthorized(WRONG)
        token = new_token()
        guest_id = identity.id if identity is not None and identity.kind == GUEST else None
        if identity is not None and identity.id == account.id:
            guest_id = None

        def switch(conn: Connection) -> None:
            sql.switch_identity(
                conn,
                account.id,
                token,
                old_token if identity is not None else None,
                guest_id,
            )
            sql.clear_failures(conn, email_key)

        await self.store.write(switch)
        return LoggedIn(user_view(account), token)

    async def logout(self, token: str | None) -> None:
        """Revoke the caller's server-side session (the cookie is worth nothing afterwards)."""
        if token:
            await self.store.revoke_token(token)

    async def me(self, identity: Identity | None) -> User:
        """Who I am: an account, a guest, or 401."""
        if identity is None:
            raise Unauthorized(LOG_IN)
        if identity.kind != USER:
            return guest_view(identity)
        account = await self.store.read(partial(sql.by_id, account_id=identity.id))
        if account is None:
            raise Unauthorized(LOG_IN)
        return user_view(account)

    async def change_password(
        self, identity: Identity | None, current: str, new: str, token: str
    ) -> None:
        """Check the current password, store the new one, revoke every other session."""
        me = require_account(identity)
        account = await self.store.read(partial(sql.by_id, account_id=me.id))
        if account is None:
            raise Unauthorized(LOG_IN)
        if not await asyncio.to_thread(_verify, account.password_hash, current):
            raise Invalid("current: the current password is wrong.")
        hashed = await asyncio.to_thread(_hash, new)
        job = partial(sql.set_password, account_id=me.id, password_hash=hashed, keep_token=token)
        await self.store.write(job)

    async def users(self, identity: Identity | None) -> list[User]:
        """Every account (admins only)."""
        require_admin(identity)
        return [user_view(a) for a in await self.store.read(sql.all_accounts)]

    async def set_role(self, identity: Identity | None, user_id: str, role: str) -> User:
        """Change an account's role (admins only; the last admin stays one)."""
        require_admin(identity)
        result = await self.store.write(partial(sql.set_role, account_id=user_id, role=role))
        if result is None:
            raise NotFound("No such user: GET /api/users lists them.")
        if isinstance(result, str):
            raise Conflict("This is the last admin: make another admin first.")
        return user_view(result)
