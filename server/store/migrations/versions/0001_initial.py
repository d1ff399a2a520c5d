"""Identities, cookie tokens, sessions, turns and idempotency keys.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(32)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("adopted_by", ID, sa.ForeignKey("identities.id"), nullable=True),
    )
    op.create_table(
        "auth_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("identity_id", ID, sa.ForeignKey("identities.id"), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
    )
    op.create_index("ix_auth_tokens_identity_id", "auth_tokens", ["identity_id"])
    op.create_table(
        "sessions",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, sa.ForeignKey("identities.id"), nullable=False),
        sa.Column("scenario", sa.String(80), nullable=False),
        sa.Column("framework", sa.String(80), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("turn_count", sa.Integer, nullable=False),
        sa.Column("ended", sa.Boolean, nullable=False),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("band", sa.String(32), nullable=True),
        sa.Column("assignment_id", ID, nullable=True),
        sa.Column("exam_mode", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_index("ix_sessions_owner_updated", "sessions", ["owner_id", "updated_at"])
    op.create_index("ix_sessions_assignment_id", "sessions", ["assignment_id"])
    op.create_table(
        "turns",
        sa.Column(
            "session_id", ID, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("idx", sa.Integer, primary_key=True),
        sa.Column("speaker", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("stage", sa.String(80), nullable=True),
        sa.Column("coding", sa.Text, nullable=True),
        sa.Column("mentee", sa.Text, nullable=True),
        sa.Column("correction", sa.Text, nullable=True),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column(
            "session_id", ID, sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )


def downgrade() -> None:
    for table in ("idempotency_keys", "turns", "sessions", "auth_tokens", "identities"):
        op.drop_table(table)
