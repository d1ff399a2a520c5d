"""Writers and readers: how a job (a function of a connection) reaches the database.

PostgreSQL: one writer thread with group commit. Requests hand it jobs; it drains every job that is
waiting, runs them all in one transaction and commits once, and only then resolves each request's
future, so an answer is never sent before its change is durable. When a batch fails, each of its
jobs is retried in its own transaction, so one bad job fails alone. Jobs must be safe to run again
after a rollback (ours are plain SQL guarded by versions and primary keys).

SQLite: `InlineWriter` commits each write at once on the event loop's thread while commits are
fast, and groups them on a commit thread while they are slow; `InlineReader` reads on the loop's
thread (see their docstrings for the measurements behind them).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine

from server.store.engine import WRITER_BEGIN

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


def commit_batch(
    begin: Callable[[], AbstractContextManager[Connection]], batch: list[_Job[Any]]
) -> list[_Result]:
    """Run a batch's jobs in one transaction (`begin()`: committed when it exits without an
    error) and commit once; when that fails, each job alone."""
    try:
        with begin() as conn:
            values = [job.fn(conn) for job in batch]
    except Exception as exc:
        if len(batch) == 1:
            log.warning("write failed: %r", exc)
            return [(batch[0], False, exc)]
        return [result for job in batch for result in commit_batch(begin, [job])]
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
        results = commit_batch(self._engine.begin, batch)
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
    """SQLite: a write commits at once on the event loop's thread while the disk is fast, and
    in groups on a commit thread while it is slow.

    At once: the request's statements and its COMMIT run where the request runs, and its answer
    follows in the same step. A COMMIT with `synchronous=FULL` waits for its fsync (0.2-0.5 ms
    on these machines), during which the loop waits too; in exchange the write needs no hand-off:
    no thread to wake, no wait for the GIL on the way there and back, no extra turns of a busy
    event loop. Under `benchmarks/load.py --pace 0.40` (pinned, 3 pairs) the server's p99 went
    from 42-56 ms with every commit on the commit thread to 26-37 ms.

    Grouped, for slow disks (where waiting on the loop would stall every request): the loop runs
    the waiting jobs' statements in one transaction and the commit thread its COMMIT, in which
    sqlite3 releases the GIL; jobs that arrive meanwhile wait for the next batch (group commit).

    Which one: a moving average of the COMMITs made on the loop (`commit_seconds`). Past
    `slow` the writer groups; while grouping, one write a second (when none waits) still commits
    on the loop, a probe: one faster than `fast` turns grouping off (slow commits after it turn it
    on again). Either way a request is
    answered only after its COMMIT has returned, so an answer is never sent before its change is
    durable; checkpoints never run in a COMMIT (`server/store/checkpoint.py`).

    The writer keeps its one connection for as long as it runs (checking a connection out of the
    pool and back in for every write cost more than the write's statements); a connection that
    fails to roll back is closed and the next write opens a new one. If a batch's statements
    fail, it is rolled back and each of its jobs is retried in a transaction of its own, so one
    bad job fails alone (jobs are safe to run again)."""

    def __init__(
        self,
        engine: Engine,
        max_batch: int = MAX_BATCH,
        *,
        slow: float = 0.002,
        fast: float = 0.001,
        probe_every: float = 1.0,
    ) -> None:
        self._engine = engine
        self._max_batch = max_batch
        self.slow, self.fast, self.probe_every = slow, fast, probe_every
        self._conn: Connection | None = None
        self._pending: list[_Job[Any]] = []
        self._inflight: _Inflight | None = None
        self._committer = _CommitThread("empowerer-commit")
        self.grouping = False
        self.commit_seconds = 0.0  # moving average of the COMMITs made on the loop
        self._probed = 0.0
        self.commits = 0  # committed on the loop
        self.batches = 0  # committed on the commit thread
        self.jobs = 0

    def start(self) -> None:
        """Nothing to start: the commit thread starts with the first grouped commit."""

    def stop(self) -> None:
        """Finish the commit in flight, then commit what is still waiting, here and now."""
        self._committer.stop()
        inflight, self._inflight = self._inflight, None
        if inflight is not None:  # its callback has not run (the loop is busy stopping us)
            self._finish(inflight)
        pending, self._pending = self._pending, []
        if pending:
            _deliver(commit_batch(self._transaction, pending))
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn` and commit it (at once, or in the next batch); returns once it is durable."""
        if self._inflight is None and not self._pending and self._at_once():
            return self._commit_now(fn)
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(fn, loop.create_future(), loop)
        self._pending.append(job)
        if self._inflight is None:
            self._next_batch(loop)
        return await job.future

    def _at_once(self) -> bool:
        if not self.grouping:
            return True
        now = time.monotonic()
        if now - self._probed < self.probe_every:
            return False
        self._probed = now  # a probe: is the disk fast again?
        return True

    def _commit_now(self, fn: Callable[[Connection], T]) -> T:
        """`fn` in a transaction of its own, committed here and now."""
        conn, raw = self._begin()
        try:
            value = fn(conn)
            seconds = self.sync(raw)
        except BaseException:
            self._abandon(conn, raw)
            raise
        try:
            _settle(conn)
        except Exception as exc:  # the change is durable; only the connection is in doubt
            log.warning("closing the writer's connection: %r", exc)
            self._discard()
        self.commits += 1
        self._measured(seconds)
        return value

    @staticmethod
    def sync(raw: Any) -> float:
        """COMMIT on the driver's connection; how long it took (seconds)."""
        began = time.perf_counter()
        raw.commit()
        return time.perf_counter() - began

    def _measured(self, seconds: float) -> None:
        if self.grouping:  # a probe
            if seconds < self.fast:
                self.grouping, self.commit_seconds = False, seconds
                log.info("SQLite commits take %.1f ms again: committing at once", seconds * 1000)
            return
        self.commit_seconds += (seconds - self.commit_seconds) * 0.2
        if self.commit_seconds > self.slow:
            self.grouping = True
            self._probed = time.monotonic()
            log.info(
                "SQLite commits take %.1f ms: grouping them on a commit thread",
                self.commit_seconds * 1000,
            )

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self._engine.connect()
        return self._conn

    def _discard(self) -> None:
        """Close a connection whose state is in doubt (a failed rollback); the next write opens
        a new one."""
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.invalidate()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction of its own on the writer's connection, committed here and now (on the
        loop's thread: for jobs retried alone, and at shutdown)."""
        conn = self._connection()
        try:
            with conn.begin():
                yield conn
        except Exception:
            if conn.in_transaction():
                self._discard()
            raise

    def _next_batch(self, loop: asyncio.AbstractEventLoop) -> None:
        while self._pending and self._inflight is None:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            try:
                inflight = self._statements(batch)
            except Exception:  # rare: find the bad job, commit the others one by one
                for job in batch:
                    _deliver(commit_batch(self._transaction, [job]))
                continue
            self._inflight = inflight
            self._committer.submit(partial(self._commit, loop, inflight))

    def _statements(self, batch: list[_Job[Any]]) -> _Inflight:
        """Begin a transaction and run the batch's statements in it (rolled back if one fails)."""
        conn, raw = self._begin()
        try:
            values = [job.fn(conn) for job in batch]
        except Exception:
            self._abandon(conn, raw)
            raise
        return _Inflight(conn, raw, batch, values)

    def _begin(self) -> tuple[Connection, Any]:
        """The writer's connection and its driver's, a transaction begun on the driver: SQLAlchemy's
        begin and commit cost more than a turn's statements (which use the driver alone); a job
        that uses SQLAlchemy joins this transaction (the engine's begin hook)."""
        conn = self._connection()
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute(WRITER_BEGIN)
        return conn, raw

    def _abandon(self, conn: Connection, raw: Any) -> None:
        """Roll back a transaction from `_begin`; a connection that cannot is discarded."""
        try:
            _rollback(conn, raw)
        except Exception:
            self._discard()

    def _commit(self, loop: asyncio.AbstractEventLoop, inflight: _Inflight) -> None:
        """On the commit thread: the COMMIT, then straight back to the loop with its outcome.

        One hop (`call_soon_threadsafe`), not a wrapped future's two: every hop waits for the
        rest of a loop iteration, and under load an iteration holds several turns' work."""
        try:
            self.sync(inflight.raw)
        except BaseException as exc:  # handed to the loop, which answers the batch with it
            inflight.failure = exc
        with contextlib.suppress(RuntimeError):  # a closed loop: `stop` finishes the batch
            loop.call_soon_threadsafe(self._committed, loop, inflight)

    def _committed(self, loop: asyncio.AbstractEventLoop, inflight: _Inflight) -> None:
        if self._inflight is not inflight:
            return  # `stop` finished it already
        self._inflight = None
        if self._finish(inflight):
            self.batches += 1
            self.jobs += len(inflight.batch)
        self._next_batch(loop)

    def _finish(self, inflight: _Inflight) -> bool:
        """The batch's requests answered; its connection discarded if it cannot be trusted."""
        try:
            return inflight.finish()
        except Exception as exc:  # SQLAlchemy's bookkeeping failed: the requests are answered
            log.warning("closing the writer's connection: %r", exc)
            self._discard()
            return inflight.failure is None


class _CommitThread:
    """One thread that runs the calls handed to it, in order; started on first use.

    A queue and a thread of its own rather than a ThreadPoolExecutor: `submit` builds a Future
    with its own lock and condition on every call, which nobody here waits on."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._queue: queue.SimpleQueue[Callable[[], object] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def submit(self, call: Callable[[], object]) -> None:
        """Run `call` on the thread, after those handed over before it."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(call)

    def stop(self) -> None:
        """Finish what was handed over, then stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _serve(self) -> None:
        while (call := self._queue.get()) is not None:
            try:
                call()
            except BaseException:  # the thread goes on for the next batch
                log.exception("the commit thread's call failed")


def _settle(conn: Connection) -> None:
    """After the driver's COMMIT: SQLAlchemy's bookkeeping, if a job used SQLAlchemy."""
    if conn.in_transaction():
        conn.commit()  # the driver has committed already: nothing reaches the database


def _rollback(conn: Connection, raw: Any) -> None:
    """Roll back a transaction begun on the driver (and SQLAlchemy's, if a job began one)."""
    raw.rollback()
    if conn.in_transaction():
        conn.rollback()


@dataclass(slots=True)
class _Inflight:
    """A batch whose statements have run and whose COMMIT is on the commit thread."""

    conn: Connection
    raw: Any
    batch: list[_Job[Any]]
    values: list[Any]
    failure: BaseException | None = None  # why the COMMIT failed, once it has

    def finish(self) -> bool:
        """The transaction ended, then every request answered; True when the batch committed."""
        failure = self.failure
        try:
            if failure is None:
                _settle(self.conn)
            else:
                log.warning("commit failed: %r", failure)
                _rollback(self.conn, self.raw)
        finally:
            if failure is None:
                _deliver([(job, True, v) for job, v in zip(self.batch, self.values, strict=True)])
            else:
                _deliver([(job, False, failure) for job in self.batch])
        return failure is None


class ReaderPool:
    """A few threads with their own connections for reads (SQLite WAL readers never block)."""

    def __init__(self, engine: Engine, threads: int) -> None:
        self._engine = engine
        self._executor = concurrent.futures.ThreadPoolExecutor(
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
