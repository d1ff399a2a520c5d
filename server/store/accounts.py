"""Accounts: the `user` identities with an email, a name, a password hash and a role.

An account is an identity of kind `user`; its cookie tokens live in `auth_tokens` like a guest's.
Every request resolves its token and the account's role in one read (`identity_for_token`), so a
revoked token or a changed role takes effect at once in every process. Failed logins are rows in
`login_failures` (keyed by the SHA-256 of "email:..." or "ip:..."), so every server process sharing
the database shares the rate limit.

The SQL here is plain functions of a connection, run by the store's writer or a reader.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Row,
    String,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from server.store import queries
from server.store.records import USER, Identity, NewIdentity, aware, token_hash, utcnow
from server.store.schema import ID, auth_tokens, identities, metadata

TRAINEE = "trainee"
FACILITATOR = "facilitator"
ADMIN = "admin"
ROLES = (TRAINEE, FACILITATOR, ADMIN)
FIRST_ACCOUNT_LOCK = 0x454D5041  # "EMPA": PostgreSQL advisory lock for "the first is admin"

accounts = Table(
    "accounts",
    metadata,
    Column("id", ID, ForeignKey("identities.id", ondelete="CASCADE"), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

IDENTITY_WITH_ROLE = (
    select(identities.c.id, identities.c.kind, identities.c.created_at, accounts.c.role)
    .join(auth_tokens, auth_tokens.c.identity_id == identities.c.id)
    .outerjoin(accounts, accounts.c.id == identities.c.id)
    .where(auth_tokens.c.token_hash == bindparam("hash"), auth_tokens.c.revoked_at.is_(None))
)


@dataclass(frozen=True, slots=True)
class Account:
    """An account as stored (the password hash never leaves the service layer)."""

    id: str
    email: str
    name: str
    password_hash: str
    role: str
    created_at: datetime


def _account(row: Row[Any]) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        name=row.name,
        password_hash=row.password_hash,
        role=row.role,
        created_at=aware(row.created_at),
    )


def limit_key(kind: str, value: str) -> str:
    """The stored key of a rate-limit bucket: the SHA-256 of e.g. 'email:ann@example.org'."""
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8", "surrogatepass")).hexdigest()


# -- identity per request -----------------------------------------------------------------------


def identity_for_token(conn: Connection, token: str) -> Identity | None:
    """The identity behind a live token, with its account's role (None for a guest)."""
    row = conn.execute(IDENTITY_WITH_ROLE, {"hash": token_hash(token)}).first()
    if row is None:
        return None
    return Identity(row.id, row.kind, aware(row.created_at), role=row.role)


# -- accounts -------------------------------------------------------------------------------------


def by_email(conn: Connection, email: str) -> Account | None:
    """The account with this (lower-cased) email."""
    row = conn.execute(select(accounts).where(accounts.c.email == email)).first()
    return None if row is None else _account(row)


def by_id(conn: Connection, account_id: str) -> Account | None:
    """The account with this id."""
    row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
    return None if row is None else _account(row)


def by_ids(conn: Connection, ids: list[str]) -> dict[str, Account]:
    """Accounts by id (missing ones left out)."""
    if not ids:
        return {}
    rows = conn.execute(select(accounts).where(accounts.c.id.in_(sorted(set(ids)))))
    return {row.id: _account(row) for row in rows}


def all_accounts(conn: Connection, limit: int = 1000) -> list[Account]:
    """Every account, oldest first."""
    query = select(accounts).order_by(accounts.c.created_at, accounts.c.id).limit(limit)
    return [_account(row) for row in conn.execute(query)]


def create_account(
    conn: Connection,
    new: NewIdentity,
    email: str,
    name: str,
    password_hash: str,
    role: str | None,
) -> Account | None:
    """Create an account with its first token; None if the email is taken.

    With `role` None the first account on an empty database becomes the admin, later ones
    trainees; the check runs under the writer's lock (SQLite) or an advisory lock (PostgreSQL), so
    two processes cannot both make the first account.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FIRST_ACCOUNT_LOCK})
    if by_email(conn, email) is not None:
        return None
    if role is None:
        count = conn.execute(select(func.count()).select_from(accounts)).scalar_one()
        role = ADMIN if count == 0 else TRAINEE
    identity = Identity(new.identity.id, USER, new.identity.created_at)
    queries.insert_identity(conn, NewIdentity(identity, new.token))
    values = {
        "id": identity.id,
        "email": email,
        "name": name,
        "password_hash": password_hash,
        "role": role,
        "created_at": identity.created_at,
    }
    conn.execute(insert(accounts), values)
    return Account(identity.id, email, name, password_hash, role, identity.created_at)


def add_token(conn: Connection, account_id: str, token: str) -> None:
    """A new cookie token for an existing identity (a login)."""
    conn.execute(
        insert(auth_tokens),
        {
            "token_hash": token_hash(token),
            "identity_id": account_id,
            "created_at": utcnow(),
            "revoked_at": None,
        },
    )


def revoke_others(conn: Connection, account_id: str, keep_token: str | None) -> int:
    """Revoke every live token of an account but `keep_token`; returns how many."""
    query = update(auth_tokens).where(
        auth_tokens.c.identity_id == account_id, auth_tokens.c.revoked_at.is_(None)
    )
    if keep_token is not None:
        query = query.where(auth_tokens.c.token_hash != token_hash(keep_token))
    return int(conn.execute(query.values(revoked_at=utcnow())).rowcount)


def set_password(conn: Connection, account_id: str, password_hash: str, keep_token: str) -> None:
    """Store a new password hash and revoke every other session of the account."""
    conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
    )
    revoke_others(conn, account_id, keep_token)


def set_role(conn: Connection, account_id: str, role: str) -> Account | str | None:
    """Change a role; None if no such account, "last-admin" if that would leave no admin."""
    found = by_id(conn, account_id)
    if found is None:
        return None
    if found.role == ADMIN and role != ADMIN:
        admins = conn.execute(
            select(func.count()).select_from(accounts).where(accounts.c.role == ADMIN)
        ).scalar_one()
        if admins <= 1:
            return "last-admin"
    conn.execute(update(accounts).where(accounts.c.id == account_id).values(role=role))
    return by_id(conn, account_id)


def switch_identity(
    conn: Connection, account_id: str, token: str, old_token: str | None, guest_id: str | None
) -> int:
    """A login: a new token for the account, the old token revoked, a guest's things adopted."""
    add_token(conn, account_id, token)
    if old_token is not None:
        queries.revoke_token(conn, old_token)
    if guest_id is None:
        return 0
    return adopt_guest(conn, guest_id, account_id)


def adopt_guest(conn: Connection, guest_id: str, account_id: str) -> int:
    """Move a guest's sessions (and walkthroughs) to an account; returns how many sessions."""
    from server.store.walkthroughs import adopt_walkthroughs

    moved = queries.adopt(conn, guest_id, account_id)
    adopt_walkthroughs(conn, guest_id, account_id)
    return moved


def signup(
    conn: Connection,
    new: NewIdentity,
    email: str,
    name: str,
    password_hash: str,
    old_token: str | None,
    guest_id: str | None,
) -> Account | None:
    """Create the account, revoke the old token, adopt the guest: one transaction."""
    account = create_account(conn, new, email, name, password_hash, None)
    if account is None:
        return None
    if old_token is not None:
        queries.revoke_token(conn, old_token)
    if guest_id is not None:
        adopt_guest(conn, guest_id, account.id)
    return account


# -- login rate limit -------------------------------------------------------------------------------


def failures_since(conn: Connection, keys: list[str], since: datetime) -> dict[str, list[datetime]]:
    """The failure times per key since `since`, oldest first."""
    query = (
        select(login_failures.c.key, login_failures.c.at)
        .where(login_failures.c.key.in_(keys), login_failures.c.at >= since)
        .order_by(login_failures.c.at)
    )
    found: dict[str, list[datetime]] = {key: [] for key in keys}
    for row in conn.execute(query):
        found[row.key].append(aware(row.at))
    return found


def record_failure(conn: Connection, keys: list[str], at: datetime, keep: timedelta) -> None:
    """Count a failed login against each key (and forget failures older than `keep`)."""
    conn.execute(insert(login_failures), [{"key": key, "at": at} for key in keys])
    conn.execute(delete(login_failures).where(login_failures.c.at < at - keep))


def clear_failures(conn: Connection, key: str) -> None:
    """A successful login clears its email's failures."""
    conn.execute(delete(login_failures).where(login_failures.c.key == key))
