"""Persistence behind one interface (`SessionStore`); `SqlStore` serves SQLite and PostgreSQL.

SQLite (the embedded default) runs in WAL mode with `synchronous=FULL`; PostgreSQL serves several
processes and machines. Migrations (Alembic, shipped in `migrations/`) are applied on open.
"""

from __future__ import annotations

from server.store.base import SessionStore
from server.store.records import (
    GUEST,
    USER,
    ChangeResult,
    Identity,
    NewIdentity,
    Outcome,
    SessionChange,
    SessionHead,
    SessionRow,
    StoredSession,
    StoredTurn,
    new_id,
    new_token,
    token_hash,
    utcnow,
)
from server.store.sql import SqlStore

__all__ = [
    "GUEST",
    "USER",
    "ChangeResult",
    "Identity",
    "NewIdentity",
    "Outcome",
    "SessionChange",
    "SessionHead",
    "SessionRow",
    "SessionStore",
    "SqlStore",
    "StoredSession",
    "StoredTurn",
    "new_id",
    "new_token",
    "token_hash",
    "utcnow",
]
