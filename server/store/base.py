"""The storage interface the service uses; `SqlStore` implements it for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import Connection

from server.store.records import (
    ChangeResult,
    Identity,
    NewIdentity,
    SessionChange,
    SessionHead,
    SessionRow,
    StoredSession,
)
from server.transcript import Turn

T = TypeVar("T")


class SessionStore(Protocol):
    """Identities, sessions and turns; every method is safe to call from many requests at once."""

    async def open(self) -> None:
        """Apply migrations and start the writer."""

    async def close(self) -> None:
        """Finish queued writes and release connections."""

    async def create_identity(self, new: NewIdentity) -> None:
        """Create an identity with its first cookie token."""

    async def identity_for_token(self, token: str) -> Identity | None:
        """The identity behind a live cookie token, or None."""

    async def revoke_token(self, token: str) -> None:
        """Kill a cookie token on the server (logout)."""

    async def adopt(self, guest_id: str, owner_id: str) -> int:
        """Move a guest's sessions to an account; returns how many moved."""

    async def create_session(
        self, row: SessionRow, opening: Sequence[Turn], new_identity: NewIdentity | None = None
    ) -> None:
        """Create a session with its opening turns (and a brand-new guest owner) atomically."""

    async def session_head(self, session_id: str) -> SessionHead | None:
        """Owner, version and ended flag, or None."""

    async def load_session(self, session_id: str) -> StoredSession | None:
        """A session with all its turns, or None."""

    async def list_sessions(self, owner_id: str) -> list[SessionRow]:
        """An owner's sessions, most recently active first."""

    async def apply(self, change: SessionChange) -> ChangeResult:
        """Apply one step of a session if its version still matches (see SessionChange)."""

    async def stored_response(self, session_id: str, key: str) -> str | None:
        """The first answer stored for an idempotency key."""

    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run a read-only function of a connection."""

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Run a write function of a connection in the writer; returns once it is durable."""
