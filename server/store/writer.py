"""Writers and readers: how a job (a function of a connection) reaches the database.

PostgreSQL: one writer thread with group commit. Requests hand it jobs; it drains every job that is
waiting, runs them all in one transaction and commits once, and only then resolves each request's
future, so an answer is never sent before its change is durable. When a batch fails, each of its
jobs is retried in its own transaction, so one bad job fails alone. Jobs must be safe to run again
after a rollback (ours are plain SQL guarded by versions and primary keys).

SQLite: `InlineWriter` commits each job at once on the event loop's thread, and `InlineReader`
reads there too (see their docstrings for the measurements behind it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")
log = logging.getLogger(__name__)

MAX_BATCH = 512


@dataclass(slots=True)
class _Job(Generic[T]):
    fn: Callable[[Connection], T]
    future: asyncio.Future[T]
    loop: asyncio.AbstractEventLoop


_Result = tuple[_Job[Any], bool, Any]
_STOP = object()


def _deliver(results: list[_Result]) -> None:
    """Resolve futures on their event loop (cancelled requests are skipped: the write still stands)."""
    for job, ok, value in results:
        if job.future.done():
            continue
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)


def commit_batch(engine: Engine, batch: list[_Job[Any]]) -> list[_Result]:
    """Run a batch's jobs in one transaction and commit once; when that fails, each job alone."""
    try:
        with engine.begin() as conn:
            values = [job.fn(conn) for job in batch]
    except Exception as exc:
        if len(batch) == 1:
            log.warning("write failed: %r", exc)
            return [(batch[0], False, exc)]
        return [result for job in batch for result in commit_batch(engine, [job])]
    return [(job, True, value) for job, value in zip(batch, values, strict=True)]


class GroupWriter:
    """A dedicated thread that commits queued jobs in batches (PostgreSQL: a commit waits on the
    network, so it must not hold up the event loop)."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name="empowerer-writer", daemon=True)
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Finish the queued jobs, then stop the thread."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in the next batch; returns once its transaction has committed."""
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(fn, loop.create_future(), loop)
        self._queue.put(job)
        return await job.future

    def _serve(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._drain(first)
            self._dispatch(self._commit(batch))
            if stop:
                return

    def _drain(self, first: _Job[Any]) -> tuple[list[_Job[Any]], bool]:
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is _STOP:
                return batch, True
            batch.append(job)
        return batch, False

    def _commit(self, batch: list[_Job[Any]]) -> list[_Result]:
        results = commit_batch(self._engine, batch)
        self.batches += 1
        self.jobs += len(batch)
        return results

    @staticmethod
    def _dispatch(results: list[_Result]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[_Result]] = {}
        for result in results:
            by_loop.setdefault(result[0].loop, []).append(result)
        for loop, group in by_loop.items():
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
                loop.call_soon_threadsafe(_deliver, group)


class InlineWriter:
    """SQLite: each job committed at once, on the event loop's own thread.

    A commit here is a few statements and one fsync of the WAL: a fraction of a millisecond. Done
    in place, a turn is computed, stored and answered in one step of the event loop. Handing the
    job to a writer thread instead made each hand-off wait for the GIL while the loop was busy
    (12-15 ms at the median under load), and grouping jobs into one commit per loop iteration made
    each request wait for two more passes through the loop, behind every request that arrived
    meanwhile (server-side p50 48 ms against 4.5 ms committed in place, measured inside the app
    under `benchmarks/load.py --think 0.12`). An answer is sent only after its change has
    committed. Two turns for one session sent at once are told apart by when they arrived
    (`server.arrival`), not by overlapping in here."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        """Nothing to start: the caller's thread commits."""

    def stop(self) -> None:
        """Nothing to stop: nothing is ever queued."""

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in its own transaction and commit; returns once it is durable."""
        with self._engine.begin() as conn:
            value = fn(conn)
        self.batches += 1
        self.jobs += 1
        return value


class ReaderPool:
    """A few threads with their own connections for reads (SQLite WAL readers never block)."""

    def __init__(self, engine: Engine, threads: int) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._engine = engine
        self._executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="empowerer-read"
        )

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` with a connection in a reader thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._call, fn)

    def _call(self, fn: Callable[[Connection], T]) -> T:
        with self._engine.connect() as conn:
            return fn(conn)

    def stop(self) -> None:
        """Stop the threads."""
        self._executor.shutdown(wait=True)


class InlineReader:
    """SQLite reads on the calling thread with one connection: a WAL read never waits for a writer
    and takes tens of microseconds, less than handing it to a thread and back."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """One row of one SELECT, straight through the driver (no SQLAlchemy execution, no
        BEGIN/ROLLBACK: with autocommit a single statement reads one consistent snapshot). For
        the per-request reads, where SQLAlchemy's execution costs more than SQLite's."""
        if self._conn is None:
            self._conn = self._engine.connect()
        raw = self._conn.connection.driver_connection
        assert raw is not None
        row: tuple[Any, ...] | None = raw.execute(sql, params).fetchone()
        return row

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` now, in a short read transaction."""
        if self._conn is None:
            self._conn = self._engine.connect()
        try:
            return fn(self._conn)
        finally:
            self._conn.rollback()

    def stop(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
