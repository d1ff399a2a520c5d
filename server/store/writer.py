"""One writer thread with group commit: many requests' changes, one transaction, one fsync.

Requests hand the writer a job (a function of a connection); the writer drains every job that is
waiting, runs them all in one transaction and commits once, and only then resolves each request's
future, so an answer is never sent before its change is durable. When a batch fails, each of its jobs
is retried in its own transaction, so one bad job fails alone. Jobs must be safe to run again after a
rollback (ours are plain SQL guarded by versions and primary keys).
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
    """SQLite: group commit on the event loop's own thread.

    A request's job joins a list; the first job of a batch schedules one flush with `call_soon`,
    so every request the loop is already working through adds its job before the flush runs: one
    transaction, one fsync (a fraction of a millisecond here) for all of them. There is no thread
    to hand the batch to and no answer to hand back across threads; with a writer thread, each
    hand-off waited for the GIL while the loop was busy with other requests, which measured 12-15
    ms at the median and 70 ms at p95 per turn under load (`benchmarks/load.py --think 0.15`).
    An answer is still sent only after its change has committed."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self._pending: list[_Job[Any]] = []
        self._scheduled = False
        self.batches = 0
        self.jobs = 0

    def start(self) -> None:
        """Nothing to start: the loop that awaits a job runs it."""

    def stop(self) -> None:
        """Commit what is still waiting (a loop shutting down may not run the flush)."""
        self._flush()

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` in this loop iteration's batch; returns once its transaction has committed."""
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(fn, loop.create_future(), loop)
        self._pending.append(job)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return await job.future

    def _flush(self) -> None:
        self._scheduled = False
        batch, self._pending = self._pending, []
        for start in range(0, len(batch), self._max_batch):
            part = batch[start : start + self._max_batch]
            results = commit_batch(self._engine, part)
            self.batches += 1
            self.jobs += len(part)
            _deliver(results)


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
