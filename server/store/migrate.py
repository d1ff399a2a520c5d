"""Apply the shipped Alembic migrations, safely when several processes start at once.

The whole upgrade runs in one transaction that first takes a lock every other starting process waits
for: on PostgreSQL a transaction-scoped advisory lock, on SQLite the write lock (`BEGIN IMMEDIATE`,
issued by the writer engine). Both databases run DDL transactionally, so a failed upgrade leaves
nothing half-done, and a process that waited finds the schema current and does nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ADVISORY_LOCK_KEY = 0x454D504F  # "EMPO"


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` under a cross-process lock."""
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
