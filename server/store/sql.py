"""`SqlStore`: the SessionStore on SQLAlchemy Core, for SQLite and PostgreSQL alike.

On SQLite a write's statements run on the event loop's own thread and only the COMMIT (its fsync)
on a commit thread, writes that arrive meanwhile going into the next commit; on PostgreSQL one
writer thread commits them in groups (`server/store/writer.py`). Reads run inline on SQLite (a
WAL read never waits) and on a small pool of reader threads on PostgreSQL. Several processes may
share one database: every change is guarded by the session's version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from sqlalchemy import Connection

from server.store import accounts, queries, raw
from server.store.checkpoint import Checkpointer
from server.store.engine import is_sqlite, make_engine, normalise_url, sqlite_path
from server.store.identities import DEFAULT_TTL, IdentityCache
from server.store.migrate import upgrade
from server.store.records import (
    ChangeResult,
    Identity,
    NewIdentity,
    SessionChange,
    SessionHead,
    SessionRow,
    StoredSession,
    token_hash,
)
from server.store.writer import GroupWriter, InlineReader, InlineWriter, ReaderPool
from server.transcript import Turn

T = TypeVar("T")
# The two reads every turn makes, as SQLite text run straight through the driver.
IDENTITY_SQL = raw.SqliteStatement(accounts.IDENTITY_WITH_ROLE).sql
SESSION_HEAD_SQL = raw.SqliteStatement(queries.SESSION_HEAD).sql


class SqlStore:
    """SessionStore over a SQLAlchemy URL (`sqlite:///file.db`, `postgresql://...`)."""

    def __init__(self, url: str, *, readers: int = 4, identity_ttl: float = DEFAULT_TTL) -> None:
        self.url = normalise_url(url)
        self.dialect = "sqlite" if is_sqlite(self.url) else "postgresql"
        sqlite = is_sqlite(self.url)
        # On SQLite the writer keeps one connection for its life; the second is for migrations
        # run while the store is open.
        self._write_engine = make_engine(self.url, writer=True, pool_size=2 if sqlite else 1)
        self._reader_threads = readers
        self._read_engine = make_engine(self.url, writer=False, pool_size=1 if sqlite else readers)
        self.writer = self._new_writer()
        self._readers = self._new_readers()
        self.identities = IdentityCache(identity_ttl)
        self._checkpointer: Checkpointer | None = None
        self._opened = False

    def _new_writer(self) -> InlineWriter | GroupWriter:
        if is_sqlite(self.url):
            return InlineWriter(self._write_engine)
        return GroupWriter(self._write_engine)

    def _new_readers(self) -> InlineReader | ReaderPool:
        if is_sqlite(self.url):
            return InlineReader(self._read_engine)
        return ReaderPool(self._read_engine, self._reader_threads)

    async def open(self) -> None:
        """Apply migrations (serialised across processes) and start the writer (a thread on
        PostgreSQL).

        A store may be opened again after `close` (an app's lifespan may run more than once).
        """
        if self._opened:
            return
        upgrade(self._write_engine)
        self.writer = self._new_writer()
        self._readers = self._new_readers()
        self.writer.start()
        path = sqlite_path(self.url) if is_sqlite(self.url) else None
        self._checkpointer = Checkpointer(path) if path is not None else None
        if self._checkpointer is not None:
            self._checkpointer.start()
        self._opened = True

    async def close(self) -> None:
        """Finish queued writes, stop the threads, close connections."""
        if self._opened:
            self.writer.stop()
            self._readers.stop()
            if self._checkpointer is not None:
                self._checkpointer.stop()
            self._opened = False
        self._write_engine.dispose()
        self._read_engine.dispose()

    async def _read(self, fn: Callable[[Connection], T]) -> T:
        return await self._readers.run(fn)

    async def _write(self, fn: Callable[[Connection], T]) -> T:
        return await self.writer.run(fn)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run a read-only function of a connection (a short read transaction)."""
        return await self._readers.run(fn)

    async def write(self, fn: Callable[[Connection], T]) -> T:
        """Run a write in the writer's next group commit; returns once it is durable.

        `fn` must be safe to run again after a rollback (a failed batch's jobs are retried one by
        one)."""
        return await self.writer.run(fn)

    async def create_identity(self, new: NewIdentity) -> None:
        await self._write(partial(queries.insert_identity, new=new))

    async def identity_for_token(self, token: str) -> Identity | None:
        key = token_hash(token)
        known = self.identities.get(key)
        if known is not None:
            return known
        if isinstance(self._readers, InlineReader):
            row = self._readers.fetch_one(IDENTITY_SQL, (key,))
            found = (
                None
                if row is None
                else Identity(row[0], row[1], raw.to_datetime(row[2]), role=row[3])
            )
        else:
            found = await self._read(partial(accounts.identity_for_token, token=token))
        if found is not None:
            self.identities.put(key, found)
        return found

    async def revoke_token(self, token: str) -> None:
        self.identities.forget(token_hash(token))
        await self._write(partial(queries.revoke_token, token=token))

    async def adopt(self, guest_id: str, owner_id: str) -> int:
        return await self._write(partial(queries.adopt, guest_id=guest_id, owner_id=owner_id))

    async def create_session(
        self, row: SessionRow, opening: Sequence[Turn], new_identity: NewIdentity | None = None
    ) -> None:
        job = partial(queries.insert_session, row=row, opening=opening, new_identity=new_identity)
        await self._write(job)

    async def session_head(self, session_id: str) -> SessionHead | None:
        if isinstance(self._readers, InlineReader):
            row = self._readers.fetch_one(SESSION_HEAD_SQL, (session_id,))
            return None if row is None else SessionHead(row[0], row[1], bool(row[2]))
        return await self._read(partial(queries.session_head, session_id=session_id))

    async def load_session(self, session_id: str) -> StoredSession | None:
        return await self._read(partial(queries.load_session, session_id=session_id))

    async def list_sessions(self, owner_id: str) -> list[SessionRow]:
        return await self._read(partial(queries.list_sessions, owner_id=owner_id))

    async def apply(self, change: SessionChange) -> ChangeResult:
        apply = queries.apply_change_sqlite if self.dialect == "sqlite" else queries.apply_change
        return await self._write(partial(apply, change=change))

    async def stored_response(self, session_id: str, key: str) -> str | None:
        return await self._read(partial(queries.stored_response, session_id=session_id, key=key))

    async def count_turns(self, session_id: str) -> int:
        """How many turns are stored for a session (for checks and tests)."""
        return await self._read(partial(queries.count_turns, session_id=session_id))
