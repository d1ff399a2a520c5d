"""SQLite: WAL checkpoints on a thread of their own, never in a request's commit.

In WAL mode a commit appends pages to the write-ahead log; a checkpoint copies them back into the
database file and fsyncs it. By default SQLite runs one inside whichever commit takes the log past
1,000 pages, so under load every few hundred milliseconds one request's commit also copied ~4 MB
and waited for a second fsync. Here every connection is opened with `wal_autocheckpoint=0` (see
`server.store.engine`) and this thread runs a PASSIVE checkpoint every `interval` seconds on a
connection of its own: PASSIVE never waits for, nor blocks, the writer or a reader; what it cannot
copy now it copies next time. Durability does not depend on it: a commit is durable once its log
pages are synced (`synchronous=FULL`), and SQLite replays the log on the next open.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL = 0.5  # seconds between checkpoints: the log stays within a few MB under load


class Checkpointer:
    """A daemon thread checkpointing one SQLite file's write-ahead log."""

    def __init__(self, path: Path, interval: float = INTERVAL) -> None:
        self._path = path
        self._interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="empowerer-checkpoint", daemon=True)
        self.checkpoints = 0

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread after one last checkpoint that empties the log."""
        if self._thread.is_alive():
            self._stopping.set()
            self._thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            while not self._stopping.wait(self._interval):
                self._checkpoint(conn, "PASSIVE")
            self._checkpoint(conn, "TRUNCATE")  # at shutdown: leave an empty log behind
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection, mode: str) -> None:
        try:
            conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:  # a busy or failing checkpoint is retried next time
            log.warning("WAL checkpoint (%s) failed: %r", mode, exc)
