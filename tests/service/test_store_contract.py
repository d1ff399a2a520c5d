"""The store's contract, run against SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from server.store import Outcome, SessionChange, SqlStore
from server.store.migrate import upgrade
from server.store.writer import InlineWriter
from server.transcript import Turn

from .helpers import guest, session_row


def opening() -> Turn:
    return Turn(
        index=0, speaker="mentee", text="Hello. Work-life balance, I suppose.", stage="goal"
    )


def exchange(first: int) -> tuple[Turn, Turn]:
    return (
        Turn(index=first, speaker="mentor", text="What brings you here?", stage="goal"),
        Turn(index=first + 1, speaker="mentee", text="Too many sessions.", stage="goal"),
    )


async def new_session(store: SqlStore) -> tuple[str, str]:
    owner = guest()
    row = session_row(owner.identity.id)
    await store.create_session(row, [opening()], owner)
    return owner.identity.id, row.id


async def test_a_guest_token_finds_its_identity_and_a_revoked_one_nothing(store: SqlStore) -> None:
    owner = guest()
    await store.create_identity(owner)
    found = await store.identity_for_token(owner.token)
    assert found is not None and found.id == owner.identity.id and found.kind == "guest"
    assert await store.identity_for_token("not-a-token") is None
    await store.revoke_token(owner.token)
    assert await store.identity_for_token(owner.token) is None


async def test_a_session_is_created_with_its_opening_and_owner(store: SqlStore) -> None:
    owner_id, session_id = await new_session(store)
    stored = await store.load_session(session_id)
    assert stored is not None
    assert stored.row.owner_id == owner_id and stored.row.version == 0
    assert [t.turn.text for t in stored.turns] == ["Hello. Work-life balance, I suppose."]
    assert stored.row.created_at.tzinfo is not None
    assert await store.load_session("no-such-session") is None


async def test_a_change_applies_once_at_its_version(store: SqlStore) -> None:
    _, session_id = await new_session(store)
    first = await store.apply(SessionChange(session_id, 0, '{"n": 1}', exchange(1)))
    assert first.outcome is Outcome.COMMITTED and first.version == 1
    stale = await store.apply(SessionChange(session_id, 0, '{"n": 2}', exchange(1)))
    assert stale.outcome is Outcome.CONFLICT
    stored = await store.load_session(session_id)
    assert stored is not None
    assert stored.row.state == '{"n": 1}' and stored.row.turn_count == 3
    assert [t.turn.index for t in stored.turns] == [0, 1, 2]


async def test_of_concurrent_changes_at_one_version_exactly_one_commits(store: SqlStore) -> None:
    _, session_id = await new_session(store)
    changes = [SessionChange(session_id, 0, f'{{"n": {i}}}', exchange(1)) for i in range(8)]
    results = await asyncio.gather(*(store.apply(c) for c in changes))
    assert sorted(r.outcome for r in results).count(Outcome.COMMITTED) == 1
    assert await store.count_turns(session_id) == 3


async def test_an_idempotency_key_replays_the_first_answer_and_stores_nothing(
    store: SqlStore,
) -> None:
    _, session_id = await new_session(store)
    first = SessionChange(session_id, 0, "{}", exchange(1), key="k-1", response='{"reply": 1}')
    assert (await store.apply(first)).outcome is Outcome.COMMITTED
    retry = SessionChange(session_id, 1, "{}", exchange(3), key="k-1", response='{"reply": 2}')
    replay = await store.apply(retry)
    assert replay.outcome is Outcome.REPLAY and replay.response == '{"reply": 1}'
    assert await store.count_turns(session_id) == 3
    assert await store.stored_response(session_id, "k-1") == '{"reply": 1}'
    assert await store.stored_response(session_id, "k-2") is None


async def test_ending_keeps_score_and_band_and_later_changes_keep_them(store: SqlStore) -> None:
    _, session_id = await new_session(store)
    await store.apply(SessionChange(session_id, 0, "{}", ended=True, score=61, band="fair"))
    await store.apply(SessionChange(session_id, 1, '{"x": 1}'))
    head = await store.session_head(session_id)
    stored = await store.load_session(session_id)
    assert head is not None and head.ended and head.version == 2
    assert stored is not None and (stored.row.score, stored.row.band) == (61, "fair")


async def test_a_turn_index_is_never_stored_twice(store: SqlStore) -> None:
    _, session_id = await new_session(store)
    await store.apply(SessionChange(session_id, 0, "{}", exchange(1)))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate|primary"):
        await store.apply(SessionChange(session_id, 1, "{}", exchange(1)))
    assert await store.count_turns(session_id) == 3
    head = await store.session_head(session_id)
    assert head is not None and head.version == 1  # the failed change left nothing behind


async def test_one_failing_change_does_not_sink_its_batch(store: SqlStore) -> None:
    _, good = await new_session(store)
    _, bad = await new_session(store)
    await store.apply(SessionChange(bad, 0, "{}", exchange(1)))
    results = await asyncio.gather(
        store.apply(SessionChange(good, 0, "{}", exchange(1))),
        store.apply(SessionChange(bad, 1, "{}", exchange(1))),
        return_exceptions=True,
    )
    assert not isinstance(results[0], BaseException) and results[0].outcome is Outcome.COMMITTED
    assert isinstance(results[1], Exception)


async def test_changes_sent_together_are_each_committed(store: SqlStore) -> None:
    ids = [(await new_session(store))[1] for _ in range(12)]
    results = await asyncio.gather(
        *(store.apply(SessionChange(sid, 0, "{}", exchange(1))) for sid in ids)
    )
    assert all(r.outcome is Outcome.COMMITTED for r in results)
    assert [await store.count_turns(sid) for sid in ids] == [3] * len(ids)


async def test_closing_the_store_commits_what_is_waiting(db_url: str) -> None:
    store = SqlStore(db_url)
    await store.open()
    ids = [(await new_session(store))[1] for _ in range(6)]
    tasks = [
        asyncio.create_task(store.apply(SessionChange(sid, 0, "{}", exchange(1)))) for sid in ids
    ]
    await asyncio.sleep(0)  # every change is queued; on SQLite the first COMMIT is in flight
    await store.close()
    results = await asyncio.wait_for(asyncio.gather(*tasks), 10)
    assert all(r.outcome is Outcome.COMMITTED for r in results)
    reopened = SqlStore(db_url)
    await reopened.open()
    try:
        assert [await reopened.count_turns(sid) for sid in ids] == [3] * len(ids)
    finally:
        await reopened.close()


@pytest.mark.postgres
async def test_postgresql_commits_changes_sent_together_in_groups(pg_url: str) -> None:
    store = SqlStore(pg_url)  # the writer thread drains what waits into one commit
    await store.open()
    try:
        ids = [(await new_session(store))[1] for _ in range(12)]
        batches = store.writer.batches
        await asyncio.gather(
            *(store.apply(SessionChange(sid, 0, "{}", exchange(1))) for sid in ids)
        )
        assert store.writer.batches - batches < len(ids)
        assert [await store.count_turns(sid) for sid in ids] == [3] * len(ids)
    finally:
        await store.close()


async def test_sessions_list_by_owner_most_recent_first(store: SqlStore) -> None:
    owner_id, older = await new_session(store)
    newer = session_row(owner_id)
    await store.create_session(newer, [opening()])
    _, foreign = await new_session(store)
    await store.apply(SessionChange(newer.id, 0, "{}", exchange(1)))
    listed = [row.id for row in await store.list_sessions(owner_id)]
    assert listed == [newer.id, older] and foreign not in listed


async def test_a_guest_adopted_by_an_account_hands_over_its_sessions(store: SqlStore) -> None:
    guest_id, session_id = await new_session(store)
    account = guest()
    await store.create_identity(account)
    assert await store.adopt(guest_id, account.identity.id) == 1
    assert [r.id for r in await store.list_sessions(account.identity.id)] == [session_id]
    assert await store.list_sessions(guest_id) == []


async def test_migrations_are_idempotent_and_safe_to_run_again(store: SqlStore) -> None:
    _, session_id = await new_session(store)
    upgrade(store._write_engine)
    assert await store.session_head(session_id) is not None


async def test_text_survives_exactly(store: SqlStore) -> None:
    owner = guest()
    row = session_row(owner.identity.id)
    text = "Ünïcødé — “quotes”, emoji 🙂, newlines\nand\ttabs, 'single' and \\ backslash"
    await store.create_session(row, [opening().model_copy(update={"text": text})], owner)
    stored = await store.load_session(row.id)
    assert stored is not None and stored.turns[0].turn.text == text


def test_several_processes_starting_at_once_migrate_once(db_url: str) -> None:
    """Each opener has its own engines, as separate processes would; the lock serialises them."""
    from concurrent.futures import ThreadPoolExecutor

    def open_and_close() -> None:
        opened = SqlStore(db_url)
        asyncio.run(opened.open())
        asyncio.run(opened.close())

    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(open_and_close) for _ in range(4)]:
            future.result()


def failing_once(writer: InlineWriter, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer's next COMMIT fails as a full disk's would (the later ones succeed)."""
    sync = writer.sync

    def fail(raw: Any) -> float:
        monkeypatch.setattr(writer, "sync", sync)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(writer, "sync", fail)


@pytest.mark.parametrize("grouping", [False, True], ids=["at once", "grouped"])
async def test_a_failed_sqlite_commit_answers_its_requests_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, grouping: bool
) -> None:
    """A COMMIT that fails (disk full, I/O error), made at once on the loop or on the commit
    thread, fails its requests, keeps none of their changes, and the writer goes on."""
    store = SqlStore(f"sqlite:///{tmp_path / 'fail.db'}")
    await store.open()
    try:
        _, doomed = await new_session(store)
        _, later = await new_session(store)
        writer = store.writer
        assert isinstance(writer, InlineWriter)
        # the mode is set here, not by how long this machine's COMMITs take
        writer.grouping, writer.slow, writer.probe_every = grouping, 3600.0, 3600.0
        failing_once(writer, monkeypatch)
        with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
            await asyncio.wait_for(store.apply(SessionChange(doomed, 0, "{}", exchange(1))), 10)
        assert await store.count_turns(doomed) == 1  # the opening only
        result = await store.apply(SessionChange(later, 0, "{}", exchange(1)))
        assert result.outcome is Outcome.COMMITTED
        assert await store.count_turns(later) == 3
        assert (writer.batches > 0) is grouping
    finally:
        await store.close()


async def test_sqlite_groups_commits_while_the_disk_is_slow_and_not_once_it_is_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fast COMMITs are made at once on the loop; slow ones (here 5 ms) turn grouping on, so
    changes sent together share commits; a fast COMMIT again (a probe) turns it off. The COMMITs
    are real; the time each is said to take is set here, whatever this machine's disk does."""
    store = SqlStore(f"sqlite:///{tmp_path / 'slow.db'}")
    await store.open()
    try:
        writer = store.writer
        assert isinstance(writer, InlineWriter)
        sync = writer.sync

        def taking(seconds: float) -> Callable[[Any], float]:
            def timed(raw: Any) -> float:
                sync(raw)
                return seconds

            return timed

        monkeypatch.setattr(writer, "sync", taking(0.0002))
        ids = [(await new_session(store))[1] for _ in range(24)]
        assert not writer.grouping and writer.commits == 24 and writer.batches == 0
        monkeypatch.setattr(writer, "sync", taking(0.005))
        for sid in ids[:4]:  # a few slow commits move the average past `slow`
            await store.apply(SessionChange(sid, 0, "{}", exchange(1)))
        assert writer.grouping
        at_once = writer.commits
        await asyncio.gather(
            *(store.apply(SessionChange(sid, 0, "{}", exchange(1))) for sid in ids[4:16])
        )
        assert writer.commits - at_once <= 1  # at most one probe
        assert 0 < writer.batches < 12  # the others were committed together
        monkeypatch.setattr(writer, "sync", taking(0.0002))
        writer.probe_every = 0.0  # every write that finds the writer idle probes
        for sid in ids[16:]:
            await store.apply(SessionChange(sid, 0, "{}", exchange(1)))
        assert not writer.grouping
        assert [await store.count_turns(sid) for sid in ids] == [3] * len(ids)
    finally:
        await store.close()


async def test_sqlite_checkpoints_the_log_on_a_thread_not_in_commits(tmp_path: Path) -> None:
    """No commit copies the write-ahead log back (a request would wait for it): the checkpoint
    thread does, while the store runs, and empties the log when it closes."""
    path = tmp_path / "wal.db"
    store = SqlStore(f"sqlite:///{path}")
    await store.open()
    try:
        ids = [(await new_session(store))[1] for _ in range(40)]
        for sid in ids:
            await store.apply(SessionChange(sid, 0, "{}", exchange(1)))
        checkpointer = store._checkpointer
        assert checkpointer is not None
        for _ in range(100):
            if checkpointer.checkpoints:
                break
            await asyncio.sleep(0.05)
        assert checkpointer.checkpoints > 0
        writer = store.writer
        assert isinstance(writer, InlineWriter) and writer._conn is not None
        raw = writer._conn.connection.driver_connection
        assert raw is not None
        assert raw.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    finally:
        await store.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    reopened = SqlStore(f"sqlite:///{path}")
    await reopened.open()
    try:
        assert [await reopened.count_turns(sid) for sid in ids] == [3] * len(ids)
    finally:
        await reopened.close()
