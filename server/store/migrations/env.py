"""Alembic environment: runs on the connection `server.store.migrate.upgrade` hands it."""

from __future__ import annotations

from alembic import context

from server.store import accounts as _accounts  # noqa: F401
from server.store import cohorts as _cohorts  # noqa: F401
from server.store.schema import metadata
from server.store.walkthroughs import walkthroughs as _walkthroughs  # noqa: F401

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Run migrations through server.store.migrate.upgrade (it passes a connection)."
    )

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
