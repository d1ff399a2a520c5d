"""Accounts, login failures, cohorts, members, assignments, shares, comments, authored scenarios.

Revision ID: 0003_accounts
Revises: 0002_walkthroughs
Create Date: 2025-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_accounts"
down_revision = "0002_walkthroughs"
branch_labels = None
depends_on = None

ID = sa.String(32)
PUBLISHED_ID = sa.String(40)
WHEN = sa.DateTime(timezone=True)


def _fk(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", ID, _fk("identities.id"), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
    )
    op.create_index("ix_login_failures_key_at", "login_failures", ["key", "at"])
    op.create_table(
        "cohorts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column("created_by", ID, sa.ForeignKey("identities.id"), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "cohort_members",
        sa.Column("cohort_id", ID, _fk("cohorts.id"), primary_key=True),
        sa.Column("user_id", ID, _fk("identities.id"), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("joined_at", WHEN, nullable=False),
    )
    op.create_index("ix_cohort_members_user", "cohort_members", ["user_id"])
    op.create_table(
        "assignments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("cohort_id", ID, _fk("cohorts.id"), nullable=False),
        sa.Column("scenario", sa.String(80), nullable=False),
        sa.Column("framework", sa.String(80), nullable=False),
        sa.Column("due", sa.String(10), nullable=True),
        sa.Column("target_band", sa.String(16), nullable=True),
        sa.Column("exam_mode", sa.Boolean, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("created_by", ID, sa.ForeignKey("identities.id"), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_assignments_cohort", "assignments", ["cohort_id"])
    op.create_table(
        "session_shares",
        sa.Column("session_id", ID, _fk("sessions.id"), primary_key=True),
        sa.Column("cohort_id", ID, _fk("cohorts.id"), primary_key=True),
        sa.Column("shared_at", WHEN, nullable=False),
    )
    op.create_index("ix_session_shares_cohort", "session_shares", ["cohort_id"])
    op.create_table(
        "comments",
        sa.Column("id", ID, primary_key=True),
        sa.Column("session_id", ID, _fk("sessions.id"), nullable=False),
        sa.Column("turn_idx", sa.Integer, nullable=False),
        sa.Column("author_id", ID, sa.ForeignKey("identities.id"), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_comments_session", "comments", ["session_id", "turn_idx"])
    op.create_table(
        "scenario_drafts",
        sa.Column("id", ID, primary_key=True),
        sa.Column("owner_id", ID, _fk("identities.id"), nullable=False),
        sa.Column("yaml", sa.Text, nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("gate", sa.Text, nullable=False),
        sa.Column("gate_ok", sa.Boolean, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    )
    op.create_index("ix_scenario_drafts_owner", "scenario_drafts", ["owner_id"])
    op.create_table(
        "published_scenarios",
        sa.Column("id", PUBLISHED_ID, primary_key=True),
        sa.Column("draft_id", ID, _fk("scenario_drafts.id"), nullable=False),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_table(
        "scenario_publications",
        sa.Column("draft_id", ID, _fk("scenario_drafts.id"), primary_key=True),
        sa.Column("cohort_id", ID, _fk("cohorts.id"), primary_key=True),
        sa.Column("scenario_id", PUBLISHED_ID, _fk("published_scenarios.id"), nullable=False),
        sa.Column("published_at", WHEN, nullable=False),
    )
    op.create_index("ix_scenario_publications_cohort", "scenario_publications", ["cohort_id"])
    op.create_index("ix_scenario_publications_scenario", "scenario_publications", ["scenario_id"])


def downgrade() -> None:
    for table in (
        "scenario_publications",
        "published_scenarios",
        "scenario_drafts",
        "comments",
        "session_shares",
        "assignments",
        "cohort_members",
        "cohorts",
        "login_failures",
        "accounts",
    ):
        op.drop_table(table)
