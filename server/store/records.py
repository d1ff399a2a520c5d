"""What the store takes and gives back: plain frozen records, no ORM objects.

A session's practice state travels as JSON text: the store keeps it and never looks inside, so the
practice engine can change its state model without a migration.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from server.transcript import Turn

GUEST = "guest"
USER = "user"


def new_id() -> str:
    """A random 128-bit url-safe id (22 characters)."""
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A random 256-bit cookie value."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a cookie value: its SHA-256, so a leaked table opens nothing."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def columns(record: Any) -> dict[str, Any]:
    """A slotted record's fields by name: the values of an INSERT of that record."""
    return {name: getattr(record, name) for name in record.__slots__}


def aware(value: datetime) -> datetime:
    """A datetime read back from the database, in UTC (SQLite returns them without a zone)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is asking: a guest (no account) or a user account (with its role, read per request)."""

    id: str
    kind: str
    created_at: datetime
    role: str | None = None


@dataclass(frozen=True, slots=True)
class NewIdentity:
    """A guest identity to create together with the first thing it writes."""

    identity: Identity
    token: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session's own columns (no turns)."""

    id: str
    owner_id: str
    scenario: str
    framework: str
    seed: int
    state: str
    version: int
    turn_count: int
    ended: bool
    score: int | None
    band: str | None
    assignment_id: str | None
    exam_mode: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredTurn:
    """A turn as stored: the transcript turn and a facilitator's comment, if any."""

    turn: Turn
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session with all its turns, in order."""

    row: SessionRow
    turns: tuple[StoredTurn, ...]


@dataclass(frozen=True, slots=True)
class SessionHead:
    """What a write needs to check first: who owns it, its version, whether it ended."""

    owner_id: str
    version: int
    ended: bool


@dataclass(frozen=True, slots=True)
class SessionChange:
    """One atomic step of a session: the new state, new turns, the end, an idempotent answer.

    Applied only if the session is still at `expected_version` (optimistic concurrency); with an
    idempotency `key` already stored for the session, nothing is written and the stored answer is
    returned instead.
    """

    session_id: str
    expected_version: int
    state: str
    new_turns: tuple[Turn, ...] = ()
    ended: bool | None = None
    score: int | None = None
    band: str | None = None
    key: str | None = None
    response: str | None = None
    at: datetime = field(default_factory=utcnow)


class Outcome(StrEnum):
    """How a change ended."""

    COMMITTED = "committed"
    CONFLICT = "conflict"  # the session moved on (another turn won) or does not exist
    REPLAY = "replay"  # the idempotency key was used before: here is the first answer


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """The outcome of a change; `version` after a commit, `response` on a replay."""

    outcome: Outcome
    version: int | None = None
    response: str | None = None
