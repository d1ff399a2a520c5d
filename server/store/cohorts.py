"""Cohorts and everything that hangs off them: members, assignments, shared sessions, comments,
authored scenarios and where they are published.

Permissions are never cached: every request asks the database who facilitates or belongs to a
cohort (`cohort_role`) and which cohorts a session is linked to (`session_links`), so a change made
through one server process holds in every other at once. The SQL is plain functions of a
connection, run by the store's writer or a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
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

from server.store.records import SessionRow, aware, columns
from server.store.schema import ID, metadata, sessions, turns

FACILITATOR = "facilitator"
MEMBER = "member"
PUBLISHED_ID = String(40)
WHEN = DateTime(timezone=True)

cohorts = Table(
    "cohorts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("created_by", ID, ForeignKey("identities.id"), nullable=False),
    Column("created_at", WHEN, nullable=False),
)

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("cohort_id", ID, ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ID, ForeignKey("identities.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("joined_at", WHEN, nullable=False),
    Index("ix_cohort_members_user", "user_id"),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("cohort_id", ID, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("scenario", String(80), nullable=False),
    Column("framework", String(80), nullable=False),
    Column("due", String(10), nullable=True),
    Column("target_band", String(16), nullable=True),
    Column("exam_mode", Boolean, nullable=False),
    Column("title", String(200), nullable=False),
    Column("created_by", ID, ForeignKey("identities.id"), nullable=False),
    Column("created_at", WHEN, nullable=False),
    Index("ix_assignments_cohort", "cohort_id"),
)

session_shares = Table(
    "session_shares",
    metadata,
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("cohort_id", ID, ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("shared_at", WHEN, nullable=False),
    Index("ix_session_shares_cohort", "cohort_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", ID, primary_key=True),
    Column("session_id", ID, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("turn_idx", Integer, nullable=False),
    Column("author_id", ID, ForeignKey("identities.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Index("ix_comments_session", "session_id", "turn_idx"),
)

scenario_drafts = Table(
    "scenario_drafts",
    metadata,
    Column("id", ID, primary_key=True),
    Column("owner_id", ID, ForeignKey("identities.id", ondelete="CASCADE"), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("spec", Text, nullable=False),
    Column("gate", Text, nullable=False),
    Column("gate_ok", Boolean, nullable=False),
    Column("created_at", WHEN, nullable=False),
    Column("updated_at", WHEN, nullable=False),
    Index("ix_scenario_drafts_owner", "owner_id"),
)

published_scenarios = Table(
    "published_scenarios",
    metadata,
    Column("id", PUBLISHED_ID, primary_key=True),
    Column("draft_id", ID, ForeignKey("scenario_drafts.id", ondelete="CASCADE"), nullable=False),
    Column("spec", Text, nullable=False),
    Column("created_at", WHEN, nullable=False),
)

scenario_publications = Table(
    "scenario_publications",
    metadata,
    Column("draft_id", ID, ForeignKey("scenario_drafts.id", ondelete="CASCADE"), primary_key=True),
    Column("cohort_id", ID, ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "scenario_id",
        PUBLISHED_ID,
        ForeignKey("published_scenarios.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("published_at", WHEN, nullable=False),
    Index("ix_scenario_publications_cohort", "cohort_id"),
    Index("ix_scenario_publications_scenario", "scenario_id"),
)


@dataclass(frozen=True, slots=True)
class Cohort:
    id: str
    name: str
    join_code: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    cohort: Cohort
    role: str


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    cohort_id: str
    scenario: str
    framework: str
    due: str | None
    target_band: str | None
    exam_mode: bool
    title: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Comment:
    id: str
    session_id: str
    turn_idx: int
    author_id: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    owner_id: str
    yaml: str
    spec: str
    gate: str
    gate_ok: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class SessionLinks:
    """Who may read a session: its owner, and the facilitators of the cohorts it is linked to
    (through its assignment, or shared with)."""

    owner_id: str
    assignment_id: str | None
    cohort_ids: tuple[str, ...]
    facilitated: tuple[str, ...]  # the linked cohorts the asking user facilitates


def _cohort(row: Row[Any]) -> Cohort:
    return Cohort(row.id, row.name, row.join_code, row.created_by, aware(row.created_at))


def _assignment(row: Row[Any]) -> Assignment:
    return Assignment(
        id=row.id,
        cohort_id=row.cohort_id,
        scenario=row.scenario,
        framework=row.framework,
        due=row.due,
        target_band=row.target_band,
        exam_mode=bool(row.exam_mode),
        title=row.title,
        created_by=row.created_by,
        created_at=aware(row.created_at),
    )


# Built once: every report and session read asks for its comments (building a query costs more
# than running it).
SESSION_COMMENTS = (
    select(comments)
    .where(comments.c.session_id.in_(bindparam("ids", expanding=True)))
    .order_by(comments.c.created_at, comments.c.id)
)


def _comment(row: Row[Any]) -> Comment:
    return Comment(
        row.id, row.session_id, row.turn_idx, row.author_id, row.text, aware(row.created_at)
    )


def _draft(row: Row[Any]) -> Draft:
    return Draft(
        id=row.id,
        owner_id=row.owner_id,
        yaml=row.yaml,
        spec=row.spec,
        gate=row.gate,
        gate_ok=bool(row.gate_ok),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


# -- cohorts and members ------------------------------------------------------------------------


def create_cohort(conn: Connection, cohort: Cohort) -> bool:
    """Create a cohort with its creator as facilitator; False if the join code is taken."""
    taken = conn.execute(
        select(cohorts.c.id).where(cohorts.c.join_code == cohort.join_code)
    ).first()
    if taken is not None:
        return False
    conn.execute(
        insert(cohorts),
        {
            "id": cohort.id,
            "name": cohort.name,
            "join_code": cohort.join_code,
            "created_by": cohort.created_by,
            "created_at": cohort.created_at,
        },
    )
    conn.execute(
        insert(cohort_members),
        {
            "cohort_id": cohort.id,
            "user_id": cohort.created_by,
            "role": FACILITATOR,
            "joined_at": cohort.created_at,
        },
    )
    return True


def cohort(conn: Connection, cohort_id: str) -> Cohort | None:
    row = conn.execute(select(cohorts).where(cohorts.c.id == cohort_id)).first()
    return None if row is None else _cohort(row)


def cohort_by_code(conn: Connection, code: str) -> Cohort | None:
    row = conn.execute(select(cohorts).where(cohorts.c.join_code == code)).first()
    return None if row is None else _cohort(row)


def cohort_role(conn: Connection, cohort_id: str, user_id: str) -> str | None:
    """'facilitator', 'member' or None."""
    value = conn.execute(
        select(cohort_members.c.role).where(
            cohort_members.c.cohort_id == cohort_id, cohort_members.c.user_id == user_id
        )
    ).scalar()
    return None if value is None else str(value)


def memberships(conn: Connection, user_id: str) -> list[Membership]:
    """The cohorts a user facilitates or belongs to, oldest first."""
    query = (
        select(cohorts, cohort_members.c.role.label("member_role"))
        .join(cohort_members, cohort_members.c.cohort_id == cohorts.c.id)
        .where(cohort_members.c.user_id == user_id)
        .order_by(cohorts.c.created_at, cohorts.c.id)
    )
    return [Membership(_cohort(row), row.member_role) for row in conn.execute(query)]


def all_cohorts(conn: Connection) -> list[Cohort]:
    query = select(cohorts).order_by(cohorts.c.created_at, cohorts.c.id)
    return [_cohort(row) for row in conn.execute(query)]


def members(conn: Connection, cohort_id: str) -> list[tuple[str, str]]:
    """(user id, role) of everybody in a cohort, in joining order."""
    query = (
        select(cohort_members.c.user_id, cohort_members.c.role)
        .where(cohort_members.c.cohort_id == cohort_id)
        .order_by(cohort_members.c.joined_at, cohort_members.c.user_id)
    )
    return [(row.user_id, row.role) for row in conn.execute(query)]


def add_member(conn: Connection, cohort_id: str, user_id: str, role: str, at: datetime) -> str:
    """Add a user to a cohort (a facilitator stays one); returns the role they now hold."""
    current = cohort_role(conn, cohort_id, user_id)
    if current in (FACILITATOR, role):
        return current
    if current is None:
        conn.execute(
            insert(cohort_members),
            {"cohort_id": cohort_id, "user_id": user_id, "role": role, "joined_at": at},
        )
    else:
        conn.execute(
            update(cohort_members)
            .where(cohort_members.c.cohort_id == cohort_id, cohort_members.c.user_id == user_id)
            .values(role=role)
        )
    return role


# -- assignments --------------------------------------------------------------------------------


def create_assignment(conn: Connection, assignment: Assignment) -> None:
    conn.execute(
        insert(assignments),
        columns(assignment),
    )


def assignment(conn: Connection, assignment_id: str) -> Assignment | None:
    row = conn.execute(select(assignments).where(assignments.c.id == assignment_id)).first()
    return None if row is None else _assignment(row)


def cohort_assignments(conn: Connection, cohort_ids: list[str]) -> list[Assignment]:
    """The assignments of some cohorts, oldest first."""
    if not cohort_ids:
        return []
    query = (
        select(assignments)
        .where(assignments.c.cohort_id.in_(cohort_ids))
        .order_by(assignments.c.created_at, assignments.c.id)
    )
    return [_assignment(row) for row in conn.execute(query)]


# -- sessions linked to cohorts -------------------------------------------------------------------


def session_links(conn: Connection, session_id: str, user_id: str | None) -> SessionLinks | None:
    """The owner and linked cohorts of a session, and which of those `user_id` facilitates."""
    row = conn.execute(
        select(sessions.c.owner_id, sessions.c.assignment_id, assignments.c.cohort_id)
        .outerjoin(assignments, assignments.c.id == sessions.c.assignment_id)
        .where(sessions.c.id == session_id)
    ).first()
    if row is None:
        return None
    linked = [row.cohort_id] if row.cohort_id else []
    shared = conn.execute(
        select(session_shares.c.cohort_id).where(session_shares.c.session_id == session_id)
    )
    linked += [r.cohort_id for r in shared if r.cohort_id not in linked]
    facilitated: list[str] = []
    if user_id is not None and linked:
        found = conn.execute(
            select(cohort_members.c.cohort_id).where(
                cohort_members.c.user_id == user_id,
                cohort_members.c.role == FACILITATOR,
                cohort_members.c.cohort_id.in_(linked),
            )
        )
        facilitated = sorted(r.cohort_id for r in found)
    return SessionLinks(row.owner_id, row.assignment_id, tuple(linked), tuple(facilitated))


def shared_with(conn: Connection, session_id: str) -> list[str]:
    query = select(session_shares.c.cohort_id).where(session_shares.c.session_id == session_id)
    return sorted(row.cohort_id for row in conn.execute(query))


def share(conn: Connection, session_id: str, cohort_id: str, at: datetime) -> None:
    exists = conn.execute(
        select(session_shares.c.session_id).where(
            session_shares.c.session_id == session_id, session_shares.c.cohort_id == cohort_id
        )
    ).first()
    if exists is None:
        conn.execute(
            insert(session_shares),
            {"session_id": session_id, "cohort_id": cohort_id, "shared_at": at},
        )


def unshare(conn: Connection, session_id: str, cohort_id: str | None) -> int:
    query = delete(session_shares).where(session_shares.c.session_id == session_id)
    if cohort_id is not None:
        query = query.where(session_shares.c.cohort_id == cohort_id)
    return int(conn.execute(query).rowcount)


def cohort_sessions(conn: Connection, cohort_id: str) -> list[SessionRow]:
    """The sessions of a cohort: started from its assignments, or shared with it; newest first."""
    from server.store.queries import session_row

    assigned = select(assignments.c.id).where(assignments.c.cohort_id == cohort_id)
    shared = select(session_shares.c.session_id).where(session_shares.c.cohort_id == cohort_id)
    query = (
        select(sessions)
        .where(sessions.c.assignment_id.in_(assigned) | sessions.c.id.in_(shared))
        .order_by(sessions.c.updated_at.desc(), sessions.c.id)
        .limit(5000)
    )
    return [session_row(row) for row in conn.execute(query)]


def my_assignment_sessions(conn: Connection, owner_id: str) -> list[SessionRow]:
    """An owner's sessions that were started from an assignment, newest first."""
    from server.store.queries import session_row

    query = (
        select(sessions)
        .where(sessions.c.owner_id == owner_id, sessions.c.assignment_id.is_not(None))
        .order_by(sessions.c.updated_at.desc(), sessions.c.id)
    )
    return [session_row(row) for row in conn.execute(query)]


# -- corrections and comments -------------------------------------------------------------------


def set_correction(
    conn: Connection,
    session_id: str,
    idx: int,
    correction: str | None,
    expected_version: int,
    score: int | None,
    band: str | None,
) -> bool:
    """Store (or clear) a facilitator's codes on a turn, with the recomputed score of an ended
    session; bumps the version so every process reloads it. False if the session moved on."""
    values: dict[str, Any] = {"version": sessions.c.version + 1}
    if score is not None:
        values.update(score=score, band=band)
    bumped = conn.execute(
        update(sessions)
        .where(sessions.c.id == session_id, sessions.c.version == expected_version)
        .values(**values)
    ).rowcount
    if bumped != 1:
        return False
    conn.execute(
        update(turns)
        .where(turns.c.session_id == session_id, turns.c.idx == idx)
        .values(correction=correction)
    )
    return True


def add_comment(conn: Connection, comment: Comment) -> None:
    conn.execute(
        insert(comments),
        columns(comment),
    )


def session_comments(conn: Connection, session_ids: list[str]) -> list[Comment]:
    """The comments on some sessions, oldest first."""
    if not session_ids:
        return []
    return [_comment(row) for row in conn.execute(SESSION_COMMENTS, {"ids": session_ids})]


# -- authored scenarios ---------------------------------------------------------------------------


def save_draft(conn: Connection, draft: Draft) -> None:
    conn.execute(insert(scenario_drafts), columns(draft))


def update_draft(conn: Connection, draft: Draft) -> bool:
    changed = conn.execute(
        update(scenario_drafts)
        .where(scenario_drafts.c.id == draft.id, scenario_drafts.c.owner_id == draft.owner_id)
        .values(
            yaml=draft.yaml,
            spec=draft.spec,
            gate=draft.gate,
            gate_ok=draft.gate_ok,
            updated_at=draft.updated_at,
        )
    ).rowcount
    return bool(changed)


def draft(conn: Connection, draft_id: str, owner_id: str) -> Draft | None:
    row = conn.execute(
        select(scenario_drafts).where(
            scenario_drafts.c.id == draft_id, scenario_drafts.c.owner_id == owner_id
        )
    ).first()
    return None if row is None else _draft(row)


def drafts(conn: Connection, owner_id: str) -> list[Draft]:
    query = (
        select(scenario_drafts)
        .where(scenario_drafts.c.owner_id == owner_id)
        .order_by(scenario_drafts.c.updated_at.desc(), scenario_drafts.c.id)
        .limit(500)
    )
    return [_draft(row) for row in conn.execute(query)]


def publish(
    conn: Connection,
    draft_id: str,
    cohort_id: str,
    new_scenario_id: str,
    spec: str,
    at: datetime,
) -> str:
    """Publish a draft's spec to a cohort; returns the published scenario id.

    Published specs are immutable snapshots: the same spec reuses its snapshot, a changed one gets
    a new id (sessions already started keep the snapshot they were started with)."""
    same = conn.execute(
        select(published_scenarios.c.id).where(
            published_scenarios.c.draft_id == draft_id, published_scenarios.c.spec == spec
        )
    ).first()
    scenario_id = same.id if same is not None else new_scenario_id
    if same is None:
        conn.execute(
            insert(published_scenarios),
            {"id": scenario_id, "draft_id": draft_id, "spec": spec, "created_at": at},
        )
    conn.execute(
        delete(scenario_publications).where(
            scenario_publications.c.draft_id == draft_id,
            scenario_publications.c.cohort_id == cohort_id,
        )
    )
    conn.execute(
        insert(scenario_publications),
        {
            "draft_id": draft_id,
            "cohort_id": cohort_id,
            "scenario_id": scenario_id,
            "published_at": at,
        },
    )
    return str(scenario_id)


def publications(conn: Connection, draft_ids: list[str]) -> list[tuple[str, str, str]]:
    """(draft id, cohort id, scenario id) for some drafts."""
    if not draft_ids:
        return []
    query = select(scenario_publications).where(scenario_publications.c.draft_id.in_(draft_ids))
    return [(r.draft_id, r.cohort_id, r.scenario_id) for r in conn.execute(query)]


def published_spec(conn: Connection, scenario_id: str) -> str | None:
    """A published snapshot's spec (JSON)."""
    value = conn.execute(
        select(published_scenarios.c.spec).where(published_scenarios.c.id == scenario_id)
    ).scalar()
    return None if value is None else str(value)


def visible_published(conn: Connection, user_id: str) -> list[tuple[str, str]]:
    """(scenario id, spec JSON) of every snapshot published to a cohort the user is in."""
    mine = select(cohort_members.c.cohort_id).where(cohort_members.c.user_id == user_id)
    query = (
        select(published_scenarios.c.id, published_scenarios.c.spec)
        .join(
            scenario_publications,
            scenario_publications.c.scenario_id == published_scenarios.c.id,
        )
        .where(scenario_publications.c.cohort_id.in_(mine))
        .order_by(published_scenarios.c.created_at, published_scenarios.c.id)
    )
    seen: dict[str, str] = {}
    for row in conn.execute(query):
        seen.setdefault(row.id, row.spec)
    return list(seen.items())


def published_in_cohort(conn: Connection, scenario_id: str, cohort_id: str) -> bool:
    return (
        conn.execute(
            select(scenario_publications.c.draft_id).where(
                scenario_publications.c.scenario_id == scenario_id,
                scenario_publications.c.cohort_id == cohort_id,
            )
        ).first()
        is not None
    )


def published_to_user(conn: Connection, scenario_id: str, user_id: str) -> bool:
    """True if the snapshot is published to a cohort the user is in."""
    mine = select(cohort_members.c.cohort_id).where(cohort_members.c.user_id == user_id)
    return (
        conn.execute(
            select(scenario_publications.c.draft_id).where(
                scenario_publications.c.scenario_id == scenario_id,
                scenario_publications.c.cohort_id.in_(mine),
            )
        ).first()
        is not None
    )
