"""Storage for self-mentoring walkthroughs: one row each, readable and changeable by its owner only.

A row holds the walkthrough's state (`WalkState` as JSON text), the guide's current prompt and the
conversation so far; the store never looks inside them. Every query names the owner, so another
identity's id simply finds nothing. Writes go through the store's single writer
(durable before the answer is sent); a change is read, computed and written inside one writer
transaction (`BEGIN IMMEDIATE` on SQLite, `SELECT ... FOR UPDATE` on PostgreSQL), so two requests
for one walkthrough never lose an update. Deleting removes the row; `purge` removes rows not
updated since a cut-off (the retention period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Row,
    String,
    Table,
    Text,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from server.store import queries
from server.store.records import NewIdentity, aware, utcnow
from server.store.schema import ID, metadata
from server.store.sql import SqlStore

LIST_LIMIT = 200

walkthroughs = Table(
    "walkthroughs",
    metadata,
    Column("id", ID, primary_key=True),
    Column("owner_id", ID, ForeignKey("identities.id", ondelete="CASCADE"), nullable=False),
    Column("framework", String(80), nullable=False),
    Column("status", String(16), nullable=False),
    Column("state", Text, nullable=False),
    Column("prompt", Text, nullable=False),
    Column("messages", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_walkthroughs_owner_updated", "owner_id", "updated_at"),
    Index("ix_walkthroughs_updated", "updated_at"),
)

MINE = select(walkthroughs).where(
    walkthroughs.c.id == bindparam("wid"), walkthroughs.c.owner_id == bindparam("owner")
)
MINE_FOR_UPDATE = MINE.with_for_update()
OWNER_LIST = (
    select(walkthroughs)
    .where(walkthroughs.c.owner_id == bindparam("owner"))
    .order_by(walkthroughs.c.updated_at.desc(), walkthroughs.c.id)
    .limit(LIST_LIMIT)
)


@dataclass(frozen=True, slots=True)
class WalkRow:
    """One walkthrough as stored: JSON text for the state, the prompt and the messages."""

    id: str
    owner_id: str
    framework: str
    status: str
    state: str
    prompt: str
    messages: str
    created_at: datetime
    updated_at: datetime


def _row(row: Row[Any]) -> WalkRow:
    return WalkRow(
        id=row.id,
        owner_id=row.owner_id,
        framework=row.framework,
        status=row.status,
        state=row.state,
        prompt=row.prompt,
        messages=row.messages,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def _values(row: WalkRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "owner_id": row.owner_id,
        "framework": row.framework,
        "status": row.status,
        "state": row.state,
        "prompt": row.prompt,
        "messages": row.messages,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


# -- SQL as functions of a connection ----------------------------------------------------------


def insert_walkthrough(conn: Connection, row: WalkRow, new_identity: NewIdentity | None) -> None:
    """Create a walkthrough (and, in the same transaction, its brand-new guest owner)."""
    if new_identity is not None:
        queries.insert_identity(conn, new_identity)
    conn.execute(insert(walkthroughs), _values(row))


def mine(conn: Connection, owner_id: str, walk_id: str) -> WalkRow | None:
    """The walkthrough if `owner_id` owns it, else None."""
    found = conn.execute(MINE, {"wid": walk_id, "owner": owner_id}).first()
    return None if found is None else _row(found)


def list_mine(conn: Connection, owner_id: str) -> list[WalkRow]:
    """An owner's walkthroughs, most recently active first."""
    return [_row(r) for r in conn.execute(OWNER_LIST, {"owner": owner_id})]


def change_mine(
    conn: Connection, owner_id: str, walk_id: str, change: Callable[[WalkRow], WalkRow]
) -> WalkRow | None:
    """Read (locked), compute the new row with `change`, write it; None if not the owner's.

    `change` must be pure: the writer may run it again after a rolled-back batch.
    """
    found = conn.execute(MINE_FOR_UPDATE, {"wid": walk_id, "owner": owner_id}).first()
    if found is None:
        return None
    new = replace(change(_row(found)), id=walk_id, owner_id=owner_id, updated_at=utcnow())
    conn.execute(
        update(walkthroughs)
        .where(walkthroughs.c.id == walk_id, walkthroughs.c.owner_id == owner_id)
        .values(
            status=new.status,
            state=new.state,
            prompt=new.prompt,
            messages=new.messages,
            updated_at=new.updated_at,
        )
    )
    return new


def delete_mine(conn: Connection, owner_id: str, walk_id: str) -> bool:
    """Remove the row; True if there was one of the owner's."""
    gone = conn.execute(
        delete(walkthroughs).where(
            walkthroughs.c.id == walk_id, walkthroughs.c.owner_id == owner_id
        )
    ).rowcount
    return bool(gone)


def adopt_walkthroughs(conn: Connection, guest_id: str, owner_id: str) -> int:
    """Give a guest's walkthroughs to the account that adopted the guest; returns how many."""
    moved = conn.execute(
        update(walkthroughs).where(walkthroughs.c.owner_id == guest_id).values(owner_id=owner_id)
    ).rowcount
    return int(moved)


def purge_before(conn: Connection, cutoff: datetime) -> int:
    """Remove every walkthrough not updated since `cutoff`; returns how many."""
    return int(
        conn.execute(delete(walkthroughs).where(walkthroughs.c.updated_at < cutoff)).rowcount
    )


def count_rows(conn: Connection, walk_id: str | None = None) -> int:
    """How many walkthrough rows exist (with this id): for checks and tests."""
    query = select(walkthroughs.c.id)
    if walk_id is not None:
        query = query.where(walkthroughs.c.id == walk_id)
    return len(conn.execute(query).all())


# -- the async face, over an opened SqlStore ----------------------------------------------------


class WalkthroughStore:
    """Walkthrough rows through an `SqlStore`'s writer and readers."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store

    async def create(self, row: WalkRow, new_identity: NewIdentity | None = None) -> None:
        """Store a new walkthrough (durable when this returns)."""
        await self.store.writer.run(partial(insert_walkthrough, row=row, new_identity=new_identity))

    async def get(self, owner_id: str, walk_id: str) -> WalkRow | None:
        """The owner's walkthrough, or None (also for anybody else's)."""
        return await self.store._read(partial(mine, owner_id=owner_id, walk_id=walk_id))

    async def list(self, owner_id: str) -> list[WalkRow]:
        """The owner's walkthroughs, most recently active first."""
        return await self.store._read(partial(list_mine, owner_id=owner_id))

    async def change(
        self, owner_id: str, walk_id: str, change: Callable[[WalkRow], WalkRow]
    ) -> WalkRow | None:
        """Apply `change` atomically in the writer; None if not the owner's."""
        job = partial(change_mine, owner_id=owner_id, walk_id=walk_id, change=change)
        return await self.store.writer.run(job)

    async def delete(self, owner_id: str, walk_id: str) -> bool:
        """Delete the owner's walkthrough; True if it existed."""
        return await self.store.writer.run(partial(delete_mine, owner_id=owner_id, walk_id=walk_id))

    async def adopt(self, guest_id: str, owner_id: str) -> int:
        """Move a guest's walkthroughs to an account (when the guest signs up or logs in)."""
        return await self.store.writer.run(
            partial(adopt_walkthroughs, guest_id=guest_id, owner_id=owner_id)
        )

    async def purge(self, cutoff: datetime) -> int:
        """Delete every walkthrough not updated since `cutoff`."""
        return await self.store.writer.run(partial(purge_before, cutoff=cutoff))

    async def count(self, walk_id: str | None = None) -> int:
        """How many rows exist (with this id)."""
        return await self.store._read(partial(count_rows, walk_id=walk_id))
