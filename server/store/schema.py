"""The tables, as SQLAlchemy Core metadata (the migrations create the same shape).

- `identities`: a guest or (later) a user account; `adopted_by` points a guest at the account that
  took over its sessions.
- `auth_tokens`: the server side of the identity cookie, keyed by the SHA-256 of the cookie value.
- `sessions`: one practice session; `version` guards read-fire-write across processes.
- `turns`: primary key (session_id, idx), so no turn is ever stored twice.
- `idempotency_keys`: the first answer to a keyed request, returned to its retries.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

ID = String(32)

metadata = MetaData()

identities = Table(
    "identities",
    metadata,
    Column("id", ID, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("adopted_by", ID, ForeignKey("identities.id"), nullable=True),
)

auth_tokens = Table(
    "auth_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("identity_id", ID, ForeignKey("identities.id"), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", ID, primary_key=True),
    Column("owner_id", ID, ForeignKey("identities.id"), nullable=False),
    Column("scenario", String(80), nullable=False),
    Column("framework", String(80), nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("turn_count", Integer, nullable=False),
    Column("ended", Boolean, nullable=False),
    Column("score", Integer, nullable=True),
    Column("band", String(32), nullable=True),
    Column("assignment_id", ID, nullable=True, index=True),
    Column("exam_mode", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_sessions_owner_updated", "owner_id", "updated_at"),
)

turns = Table(
    "turns",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("speaker", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("stage", String(80), nullable=True),
    Column("coding", Text, nullable=True),
    Column("mentee", Text, nullable=True),
    Column("correction", Text, nullable=True),
    Column("comment", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("response", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
