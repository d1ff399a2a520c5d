"""Database URLs and engines: SQLite tuned for durability, PostgreSQL through psycopg.

The service talks to the database through synchronous SQLAlchemy engines. On SQLite statements run
on the event loop's own thread (a read or a write takes tens of microseconds, less than a thread
hop) and only a COMMIT's fsync waits on a commit thread; on PostgreSQL, where each statement waits
on the network, one writer thread and a small reader pool run them, so the event loop never waits
on the server.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

SQLITE_PRAGMAS = (
    "PRAGMA busy_timeout=10000",  # first: switching a new file to WAL waits for its lock too
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # an acknowledged commit survives kill -9 and power loss
    "PRAGMA foreign_keys=ON",
    "PRAGMA wal_autocheckpoint=0",  # checkpoints run on a thread of their own (checkpoint.py)
)

# The writer's transactions take the write lock at once (a reader's take it at their first write).
WRITER_BEGIN = "BEGIN IMMEDIATE"


def normalise_url(raw: str) -> URL:
    """The synchronous driver URL for `raw` (sqlite, postgresql with any driver name)."""
    url = make_url(raw)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+pysqlite")
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    raise ValueError(f"EMPOWERER_DB_URL must be a sqlite or postgresql URL, not '{backend}'")


def is_sqlite(url: URL) -> bool:
    """True for SQLite URLs."""
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL (None for in-memory)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _execute_patiently(cursor: Any, statement: str, patience: float = 10.0) -> None:
    """Run a PRAGMA, retrying while another process holds the lock.

    Switching a new file to WAL can fail with "database is locked" at once, without the busy
    handler, when several processes open the same new database together."""
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute(statement)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_engine(url: URL, *, writer: bool, pool_size: int) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=0, connect_args={"check_same_thread": False}
    )
    begin = WRITER_BEGIN if writer else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            _execute_patiently(cursor, pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver: a full SQLAlchemy execution for BEGIN costs more than the BEGIN.
        # Begun already when the writer began a batch on the driver (writer.py): join it.
        raw = connection.connection.driver_connection
        if not raw.in_transaction:
            raw.execute(begin)

    return engine


def make_engine(url: URL, *, writer: bool, pool_size: int = 1) -> Engine:
    """An engine for the writer (SQLite: `BEGIN IMMEDIATE`) or for readers."""
    if is_sqlite(url):
        return _sqlite_engine(url, writer=writer, pool_size=pool_size)
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_pre_ping=True)
