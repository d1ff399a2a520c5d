"""The SQL, as functions of a connection: run by the store's writer or a reader.

Every write that changes a session goes through `apply_change`: the idempotency key is checked, the
version compared and bumped in one UPDATE, and the new turns inserted, all in the caller's
transaction. Nothing here knows about threads or HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    Row,
    String,
    bindparam,
    func,
    insert,
    select,
    update,
)

from server.coding.labels import CodedTurn
from server.store.raw import SqliteStatement, driver
from server.store.records import (
    ChangeResult,
    Identity,
    NewIdentity,
    Outcome,
    SessionChange,
    SessionHead,
    SessionRow,
    StoredSession,
    StoredTurn,
    aware,
    columns,
    token_hash,
    utcnow,
)
from server.store.schema import auth_tokens, idempotency_keys, identities, sessions, turns
from server.transcript import MenteeAnnotation, Turn

SESSION_LIST_LIMIT = 500

# Statements are built once: building a query costs more than running it on SQLite.
IDENTITY_FOR_TOKEN = (
    select(identities.c.id, identities.c.kind, identities.c.created_at)
    .join(auth_tokens, auth_tokens.c.identity_id == identities.c.id)
    .where(auth_tokens.c.token_hash == bindparam("hash"), auth_tokens.c.revoked_at.is_(None))
)
SESSION_HEAD = select(sessions.c.owner_id, sessions.c.version, sessions.c.ended).where(
    sessions.c.id == bindparam("sid")
)
SESSION = select(sessions).where(sessions.c.id == bindparam("sid"))
SESSION_TURNS = select(turns).where(turns.c.session_id == bindparam("sid")).order_by(turns.c.idx)
OWNER_SESSIONS = (
    select(sessions)
    .where(sessions.c.owner_id == bindparam("owner"))
    .order_by(sessions.c.updated_at.desc(), sessions.c.id)
    .limit(SESSION_LIST_LIMIT)
)
STORED_RESPONSE = select(idempotency_keys.c.response).where(
    idempotency_keys.c.session_id == bindparam("sid"), idempotency_keys.c.key == bindparam("key")
)
_BUMP = update(sessions).where(
    sessions.c.id == bindparam("sid"), sessions.c.version == bindparam("expected")
)
_BUMP_VALUES = {
    "state": bindparam("state"),
    "version": sessions.c.version + 1,
    "turn_count": sessions.c.turn_count + bindparam("added", type_=Integer),
    "updated_at": bindparam("at"),
}
BUMP_SESSION = _BUMP.values(
    **_BUMP_VALUES,
    ended=func.coalesce(bindparam("new_ended", type_=Boolean), sessions.c.ended),
    score=func.coalesce(bindparam("new_score", type_=Integer), sessions.c.score),
    band=func.coalesce(bindparam("new_band", type_=String), sessions.c.band),
)
# A turn's bump: BUMP_SESSION without the end, score and band it leaves as they are.
BUMP_TURN = _BUMP.values(**_BUMP_VALUES)
INSERT_TURN = insert(turns)
INSERT_KEY = insert(idempotency_keys)
TURN_COLUMNS = (
    "session_id",
    "idx",
    "speaker",
    "text",
    "stage",
    "coding",
    "mentee",
    "correction",
    "comment",
    "created_at",
)
KEY_COLUMNS = ("session_id", "key", "response", "created_at")
# The same statements as SQLite text for the driver (`apply_change_sqlite`).
SQLITE_STORED_RESPONSE = SqliteStatement(STORED_RESPONSE)
SQLITE_BUMP_SESSION = SqliteStatement(BUMP_SESSION)
SQLITE_BUMP_TURN = SqliteStatement(BUMP_TURN)
SQLITE_INSERT_KEY = SqliteStatement(INSERT_KEY, KEY_COLUMNS)
# The driver binds a NULL through its adapter lookup (~3.5k instructions each), so the columns a
# new turn always leaves NULL are not named: a comment (a facilitator adds one later) and, unless
# it has one, a correction. An INSERT stores NULL in an unnamed column all the same.
NEW_TURN_COLUMNS = tuple(c for c in TURN_COLUMNS if c != "comment")
SQLITE_INSERT_TURN = SqliteStatement(INSERT_TURN, NEW_TURN_COLUMNS)
SQLITE_INSERT_UNCORRECTED_TURN = SqliteStatement(
    INSERT_TURN, tuple(c for c in NEW_TURN_COLUMNS if c != "correction")
)


def _json(model: Any) -> str | None:
    return None if model is None else str(model.model_dump_json())


def turn_values(session_id: str, turn: Turn, at: datetime) -> dict[str, Any]:
    """The `turns` row for a transcript turn."""
    return {
        "session_id": session_id,
        "idx": turn.index,
        "speaker": turn.speaker,
        "text": turn.text,
        "stage": turn.stage,
        "coding": _json(turn.coding),
        "mentee": _json(turn.mentee),
        "correction": _json(turn.correction),
        "comment": None,
        "created_at": at,
    }


def stored_turn(row: Row[Any]) -> StoredTurn:
    """A transcript turn from its row."""
    turn = Turn(
        index=row.idx,
        speaker=row.speaker,
        text=row.text,
        stage=row.stage,
        coding=CodedTurn.model_validate_json(row.coding) if row.coding else None,
        mentee=MenteeAnnotation.model_validate_json(row.mentee) if row.mentee else None,
        correction=CodedTurn.model_validate_json(row.correction) if row.correction else None,
    )
    return StoredTurn(turn=turn, comment=row.comment)


def session_row(row: Row[Any]) -> SessionRow:
    """A session record from its row."""
    return SessionRow(
        id=row.id,
        owner_id=row.owner_id,
        scenario=row.scenario,
        framework=row.framework,
        seed=row.seed,
        state=row.state,
        version=row.version,
        turn_count=row.turn_count,
        ended=bool(row.ended),
        score=row.score,
        band=row.band,
        assignment_id=row.assignment_id,
        exam_mode=bool(row.exam_mode),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


# -- identities ---------------------------------------------------------------------------------


def insert_identity(conn: Connection, new: NewIdentity) -> None:
    """Create an identity and its first cookie token."""
    ident = new.identity
    conn.execute(
        insert(identities),
        {"id": ident.id, "kind": ident.kind, "created_at": ident.created_at, "adopted_by": None},
    )
    conn.execute(
        insert(auth_tokens),
        {
            "token_hash": token_hash(new.token),
            "identity_id": ident.id,
            "created_at": ident.created_at,
            "revoked_at": None,
        },
    )


def identity_for_token(conn: Connection, token: str) -> Identity | None:
    """The identity a live cookie token belongs to."""
    row = conn.execute(IDENTITY_FOR_TOKEN, {"hash": token_hash(token)}).first()
    return None if row is None else Identity(row.id, row.kind, aware(row.created_at))


def revoke_token(conn: Connection, token: str) -> None:
    """Kill a cookie token on the server."""
    conn.execute(
        update(auth_tokens)
        .where(auth_tokens.c.token_hash == token_hash(token), auth_tokens.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def adopt(conn: Connection, guest_id: str, owner_id: str) -> int:
    """Give every session of a guest to `owner_id` (an account); returns how many moved."""
    moved = conn.execute(
        update(sessions).where(sessions.c.owner_id == guest_id).values(owner_id=owner_id)
    ).rowcount
    conn.execute(update(identities).where(identities.c.id == guest_id).values(adopted_by=owner_id))
    return int(moved)


# -- sessions -----------------------------------------------------------------------------------


def insert_session(
    conn: Connection, row: SessionRow, opening: Sequence[Turn], new_identity: NewIdentity | None
) -> None:
    """Create a session with its first turns (and its owner, for a brand-new guest)."""
    if new_identity is not None:
        insert_identity(conn, new_identity)
    conn.execute(insert(sessions), columns(row))
    if opening:
        conn.execute(insert(turns), [turn_values(row.id, t, row.created_at) for t in opening])


def session_head(conn: Connection, session_id: str) -> SessionHead | None:
    """Owner, version and ended flag of a session."""
    row = conn.execute(SESSION_HEAD, {"sid": session_id}).first()
    return None if row is None else SessionHead(row.owner_id, row.version, bool(row.ended))


def load_session(conn: Connection, session_id: str) -> StoredSession | None:
    """A session with every turn."""
    row = conn.execute(SESSION, {"sid": session_id}).first()
    if row is None:
        return None
    found = conn.execute(SESSION_TURNS, {"sid": session_id})
    return StoredSession(session_row(row), tuple(stored_turn(t) for t in found))


def list_sessions(conn: Connection, owner_id: str) -> list[SessionRow]:
    """An owner's sessions, most recently active first."""
    return [session_row(row) for row in conn.execute(OWNER_SESSIONS, {"owner": owner_id})]


def stored_response(conn: Connection, session_id: str, key: str) -> str | None:
    """The first answer to an idempotency key, if it was used for this session."""
    value = conn.execute(STORED_RESPONSE, {"sid": session_id, "key": key}).scalar()
    return None if value is None else str(value)


def change_params(change: SessionChange) -> dict[str, Any]:
    """The named values of a change's statements."""
    return {
        "sid": change.session_id,
        "key": change.key,
        "expected": change.expected_version,
        "state": change.state,
        "added": len(change.new_turns),
        "at": change.at,
        "new_ended": change.ended,
        "new_score": change.score,
        "new_band": change.band,
    }


def key_values(change: SessionChange) -> dict[str, Any]:
    """The idempotency key's row: the first answer to a retried request."""
    return {
        "session_id": change.session_id,
        "key": change.key,
        "response": change.response,
        "created_at": change.at,
    }


def apply_change(conn: Connection, change: SessionChange) -> ChangeResult:
    """Check the key, compare-and-bump the version, insert the turns: one atomic step."""
    if change.key is not None:
        first = stored_response(conn, change.session_id, change.key)
        if first is not None:
            return ChangeResult(Outcome.REPLAY, response=first)
    params = change_params(change)
    bumped = conn.execute(BUMP_SESSION, params).rowcount
    if bumped != 1:
        return ChangeResult(Outcome.CONFLICT)
    if change.new_turns:
        rows = [turn_values(change.session_id, t, change.at) for t in change.new_turns]
        conn.execute(INSERT_TURN, rows)
    if change.key is not None and change.response is not None:
        conn.execute(INSERT_KEY, key_values(change))
    return ChangeResult(Outcome.COMMITTED, version=change.expected_version + 1)


def apply_change_sqlite(conn: Connection, change: SessionChange) -> ChangeResult:
    """`apply_change` on SQLite, its statements run straight through the driver in the writer's
    transaction (the same SQL and stored values; SQLAlchemy's execution costs more than SQLite's)."""
    db = driver(conn)
    params = change_params(change)
    if change.key is not None:
        found = db.execute(SQLITE_STORED_RESPONSE.sql, SQLITE_STORED_RESPONSE.params(params))
        first = found.fetchone()
        if first is not None:
            return ChangeResult(Outcome.REPLAY, response=str(first[0]))
    plain = change.ended is None and change.score is None and change.band is None
    bump = SQLITE_BUMP_TURN if plain else SQLITE_BUMP_SESSION  # the same change, fewer NULLs
    if db.execute(bump.sql, bump.params(params)).rowcount != 1:
        return ChangeResult(Outcome.CONFLICT)
    if change.new_turns:
        corrected = any(t.correction is not None for t in change.new_turns)
        insert = SQLITE_INSERT_TURN if corrected else SQLITE_INSERT_UNCORRECTED_TURN
        rows = [
            insert.params(turn_values(change.session_id, t, change.at)) for t in change.new_turns
        ]
        db.executemany(insert.sql, rows)
    if change.key is not None and change.response is not None:
        db.execute(SQLITE_INSERT_KEY.sql, SQLITE_INSERT_KEY.params(key_values(change)))
    return ChangeResult(Outcome.COMMITTED, version=change.expected_version + 1)


def count_turns(conn: Connection, session_id: str) -> int:
    """How many turns a session has stored."""
    query = select(func.count()).select_from(turns).where(turns.c.session_id == session_id)
    return int(conn.execute(query).scalar_one())
