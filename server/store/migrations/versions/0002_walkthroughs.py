"""Self-mentoring walkthroughs: one row each, owned by an identity (deleted with it).

Revision ID: 0002_walkthroughs
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_walkthroughs"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.String(32)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "walkthroughs",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "owner_id", ID, sa.ForeignKey("identities.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("framework", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("messages", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_index("ix_walkthroughs_owner_updated", "walkthroughs", ["owner_id", "updated_at"])
    op.create_index("ix_walkthroughs_updated", "walkthroughs", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_walkthroughs_updated", table_name="walkthroughs")
    op.drop_index("ix_walkthroughs_owner_updated", table_name="walkthroughs")
    op.drop_table("walkthroughs")
