"""Cohorts, join codes, co-facilitators, assignments and the facilitator's desk (dashboard,
sessions, agreement, exports). No HTTP here.

Every call asks the database who the caller is in the cohort: nothing about permissions is kept in
the process. A cohort the caller may not see is 404 (its existence is not revealed); a trainee
asking for something only staff may ever do gets 403 with a message, whatever the id.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from server.coding.labels import Code
from server.service import desk_views as dv
from server.service.accounts import require_account, user_view
from server.service.errors import (
    COHORT_NOT_FOUND,
    STAFF_ONLY,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
)
from server.service.kappa import binary_kappa, cohen_kappa
from server.service.sessions import SessionService
from server.store import Identity, SessionRow, new_id, utcnow
from server.store import accounts as account_sql
from server.store import cohorts as sql
from server.store.accounts import ADMIN, FACILITATOR, Account
from server.store.cohorts import FACILITATOR as COHORT_FACILITATOR
from server.store.cohorts import MEMBER, Assignment, Cohort

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
JOIN_CODE_LENGTH = 10
BANDS = ("needs_practice", "fair", "good")


def join_code() -> str:
    """A random join code (50 bits), easy to read aloud."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def join_url(code: str) -> str:
    """The web UI's join link for a code."""
    return f"/#/join/{code}"


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def assignment_view(a: Assignment) -> dv.Assignment:
    return dv.Assignment(
        id=a.id,
        cohort_id=a.cohort_id,
        scenario=a.scenario,
        framework=a.framework,
        due=a.due,
        target_band=a.target_band,
        exam_mode=a.exam_mode,
        title=a.title,
        created_at=a.created_at,
    )


def status_of(rows: Sequence[SessionRow]) -> tuple[str, SessionRow | None]:
    """todo / started / done, and the session that says so (the latest ended one, else the
    latest one)."""
    ended = [r for r in rows if r.ended]
    if ended:
        return "done", max(ended, key=lambda r: r.updated_at)
    if rows:
        return "started", max(rows, key=lambda r: r.updated_at)
    return "todo", None


class CohortService:
    """Everything the cohort, assignment and desk routes do."""

    def __init__(self, sessions: SessionService) -> None:
        self.sessions = sessions
        self.store = sessions.store

    # -- access ---------------------------------------------------------------------------------

    async def _cohort_and_role(self, identity: Identity, cohort_id: str) -> tuple[Cohort, str]:
        """The cohort and the caller's relation to it ('facilitator', 'member', 'admin'), or 404."""
        cohort = await self.store.read(partial(sql.cohort, cohort_id=cohort_id))
        if cohort is None:
            raise NotFound(COHORT_NOT_FOUND)
        role = await self.store.read(
            partial(sql.cohort_role, cohort_id=cohort_id, user_id=identity.id)
        )
        if identity.role == ADMIN and role != COHORT_FACILITATOR:
            role = "admin"  # an admin sees every cohort as staff, even one they joined
        if role is None:
            raise NotFound(COHORT_NOT_FOUND)
        return cohort, role

    async def staff_cohort(self, identity: Identity | None, cohort_id: str) -> Cohort:
        """A cohort the caller facilitates (or any, for an admin): 401, 403 for a trainee, 404."""
        me = require_account(identity)
        if me.role not in (FACILITATOR, ADMIN):
            raise Forbidden(STAFF_ONLY)
        cohort, role = await self._cohort_and_role(me, cohort_id)
        if role == MEMBER:
            raise NotFound(COHORT_NOT_FOUND)
        return cohort

    # -- views ----------------------------------------------------------------------------------

    async def _people(self, cohort_id: str) -> tuple[list[Account], list[Account]]:
        """(facilitators, members) of a cohort."""
        pairs = await self.store.read(partial(sql.members, cohort_id=cohort_id))
        found = await self.store.read(partial(account_sql.by_ids, ids=[u for u, _ in pairs]))
        facilitators = [found[u] for u, r in pairs if r == COHORT_FACILITATOR and u in found]
        members = [found[u] for u, r in pairs if r == MEMBER and u in found]
        return facilitators, members

    async def _full(self, cohort: Cohort, role: str, *, list_members: bool) -> dv.Cohort:
        facilitators, members = await self._people(cohort.id)
        return dv.Cohort(
            id=cohort.id,
            name=cohort.name,
            join_code=cohort.join_code,
            join_url=join_url(cohort.join_code),
            created_at=cohort.created_at,
            facilitators=[user_view(a) for a in facilitators],
            members=[user_view(a) for a in members] if list_members else len(members),
            role=role,
        )

    # -- cohorts --------------------------------------------------------------------------------

    async def create(self, identity: Identity | None, name: str) -> dv.Cohort:
        """A new cohort; its creator is its facilitator."""
        me = require_account(identity)
        if me.role not in (FACILITATOR, ADMIN):
            raise Forbidden("Only facilitators and admins create cohorts: join one with its code.")
        for _ in range(5):
            cohort = Cohort(new_id(), name, join_code(), me.id, utcnow())
            if await self.store.write(partial(sql.create_cohort, cohort=cohort)):
                return await self._full(cohort, COHORT_FACILITATOR, list_members=False)
        raise Conflict("Could not find a free join code: try again.")  # pragma: no cover

    async def list_mine(self, identity: Identity | None) -> list[dv.CohortListItem]:
        """The cohorts I facilitate or belong to (an admin: every cohort)."""
        me = require_account(identity)
        mine = await self.store.read(partial(sql.memberships, user_id=me.id))
        roles = {m.cohort.id: m.role for m in mine}
        cohorts = [m.cohort for m in mine]
        if me.role == ADMIN:
            cohorts = await self.store.read(sql.all_cohorts)
        out = []
        for cohort in cohorts:
            role = roles.get(cohort.id, "admin")
            staff = role != MEMBER
            members = None
            if staff:
                members = sum(
                    r == MEMBER
                    for _, r in await self.store.read(partial(sql.members, cohort_id=cohort.id))
                )
            out.append(
                dv.CohortListItem(
                    id=cohort.id,
                    name=cohort.name,
                    role=role,
                    created_at=cohort.created_at,
                    join_code=cohort.join_code if staff else None,
                    join_url=join_url(cohort.join_code) if staff else None,
                    members=members,
                )
            )
        return out

    async def get(
        self, identity: Identity | None, cohort_id: str
    ) -> dv.Cohort | dv.CohortMemberView:
        """A cohort: in full for its facilitators and admins, name and assignments for a member."""
        me = require_account(identity)
        cohort, role = await self._cohort_and_role(me, cohort_id)
        if role != MEMBER:
            return await self._full(cohort, role, list_members=True)
        facilitators, _ = await self._people(cohort.id)
        found = await self.store.read(partial(sql.cohort_assignments, cohort_ids=[cohort.id]))
        return dv.CohortMemberView(
            id=cohort.id,
            name=cohort.name,
            facilitators=[user_view(a) for a in facilitators],
            assignments=[assignment_view(a) for a in found],
        )

    async def join(self, identity: Identity | None, code: str) -> dv.Joined:
        """Join a cohort by its code (a facilitator of it stays one)."""
        me = require_account(identity)
        cohort = await self.store.read(partial(sql.cohort_by_code, code=code.strip().upper()))
        if cohort is None:
            raise NotFound("No cohort has this join code: check it with your facilitator.")
        role = await self.store.write(
            partial(sql.add_member, cohort_id=cohort.id, user_id=me.id, role=MEMBER, at=utcnow())
        )
        return dv.Joined(id=cohort.id, name=cohort.name, role=role)

    async def add_facilitator(
        self, identity: Identity | None, cohort_id: str, email: str
    ) -> dv.Cohort:
        """Make another facilitator account a co-facilitator of a cohort I facilitate."""
        cohort = await self.staff_cohort(identity, cohort_id)
        account = await self.store.read(partial(account_sql.by_email, email=email.strip().lower()))
        if account is None:
            raise NotFound("No account has this email: they sign up first.")
        if account.role not in (FACILITATOR, ADMIN):
            raise Conflict(
                "This account is a trainee: an admin makes them a facilitator first "
                "(PATCH /api/users/{id})."
            )
        await self.store.write(
            partial(
                sql.add_member,
                cohort_id=cohort.id,
                user_id=account.id,
                role=COHORT_FACILITATOR,
                at=utcnow(),
            )
        )
        assert identity is not None
        _, role = await self._cohort_and_role(identity, cohort.id)
        return await self._full(cohort, role, list_members=True)

    # -- assignments ----------------------------------------------------------------------------

    async def create_assignment(
        self,
        identity: Identity | None,
        cohort_id: str,
        scenario: str,
        framework: str,
        due: str | None,
        target_band: str | None,
        exam_mode: bool,
        title: str | None,
    ) -> dv.Assignment:
        """Assign a scenario and framework to a cohort (built-in or published to it)."""
        cohort = await self.staff_cohort(identity, cohort_id)
        assert identity is not None
        spec = await self.sessions.usable_scenario(identity, scenario, cohort_id=cohort.id)
        engine = self.sessions.framework(framework)
        assignment = Assignment(
            id=new_id(),
            cohort_id=cohort.id,
            scenario=spec.id,
            framework=engine.id,
            due=due,
            target_band=target_band,
            exam_mode=exam_mode,
            title=title or f"{spec.title} ({engine.spec.name})",
            created_by=identity.id,
            created_at=utcnow(),
        )
        await self.store.write(partial(sql.create_assignment, assignment=assignment))
        return assignment_view(assignment)

    async def assignments(self, identity: Identity | None, cohort_id: str) -> list[dv.Assignment]:
        """A cohort's assignments (its members, facilitators and admins)."""
        me = require_account(identity)
        cohort, _ = await self._cohort_and_role(me, cohort_id)
        found = await self.store.read(partial(sql.cohort_assignments, cohort_ids=[cohort.id]))
        return [assignment_view(a) for a in found]

    async def my_assignments(self, identity: Identity | None) -> list[dv.MyAssignment]:
        """My assignments across the cohorts I belong to, with where I am in each."""
        me = require_account(identity)
        mine = await self.store.read(partial(sql.memberships, user_id=me.id))
        names = {m.cohort.id: m.cohort.name for m in mine if m.role == MEMBER}
        found = await self.store.read(partial(sql.cohort_assignments, cohort_ids=sorted(names)))
        rows = await self.store.read(partial(sql.my_assignment_sessions, owner_id=me.id))
        out = []
        for a in found:
            status, row = status_of([r for r in rows if r.assignment_id == a.id])
            spec = await self.sessions.load_spec(a.scenario)
            out.append(
                dv.MyAssignment(
                    **assignment_view(a).model_dump(),
                    cohort_name=names[a.cohort_id],
                    scenario_title=spec.title if spec else a.scenario,
                    status=status,
                    session_id=row.id if row else None,
                    score=row.score if row and row.ended else None,
                    band=row.band if row and row.ended else None,
                )
            )
        return out

    # -- the desk -------------------------------------------------------------------------------

    async def _cohort_rows(self, cohort_id: str) -> list[SessionRow]:
        return await self.store.read(partial(sql.cohort_sessions, cohort_id=cohort_id))

    async def cohort_sessions(
        self, identity: Identity | None, cohort_id: str, trainee: str | None
    ) -> list[dv.CohortSession]:
        """The cohort's assigned and shared sessions (of one trainee, if named)."""
        cohort = await self.staff_cohort(identity, cohort_id)
        rows = await self._cohort_rows(cohort.id)
        if trainee is not None:
            rows = [r for r in rows if r.owner_id == trainee]
        shared = set()
        assigned = {
            a.id
            for a in await self.store.read(partial(sql.cohort_assignments, cohort_ids=[cohort.id]))
        }
        for row in rows:
            if row.assignment_id not in assigned:
                shared.add(row.id)
        people = await self.store.read(partial(account_sql.by_ids, ids=[r.owner_id for r in rows]))
        out = []
        for row in rows:
            summary = self.sessions.summary_view(row)
            owner = people.get(row.owner_id)
            out.append(
                dv.CohortSession(
                    id=row.id,
                    trainee=user_view(owner)
                    if owner
                    else dv.User(id=row.owner_id, email=None, name=None, role="guest"),
                    assignment_id=row.assignment_id if row.assignment_id in assigned else None,
                    shared=row.id in shared,
                    scenario=summary.scenario.model_dump(),
                    framework=summary.framework.model_dump(),
                    created_at=row.created_at,
                    updated_at=row.updated_at,
                    ended=row.ended,
                    turns=row.turn_count,
                    score=row.score,
                    band=row.band,
                )
            )
        return out

    async def _reports(self, rows: Sequence[SessionRow]) -> dict[str, Any]:
        """The report of each session (None where its data files are gone)."""
        out: dict[str, Any] = {}
        for row in rows:
            try:
                live = await self.sessions._load(row.owner_id, row.id)
                out[row.id] = self.sessions.report_of(live)
            except Exception:  # a scenario or framework no longer offered
                out[row.id] = None
        return out

    async def dashboard(self, identity: Identity | None, cohort_id: str) -> dv.Dashboard:
        """Per trainee: assignments done, latest and best score, metric bands; per cohort: the
        distributions of scores and of each metric's band."""
        cohort = await self.staff_cohort(identity, cohort_id)
        _, members = await self._people(cohort.id)
        found = await self.store.read(partial(sql.cohort_assignments, cohort_ids=[cohort.id]))
        ids = {a.id for a in found}
        rows = [r for r in await self._cohort_rows(cohort.id) if r.assignment_id in ids]
        latest_per_task: dict[tuple[str, str], SessionRow] = {}
        for row in rows:
            if row.ended and row.assignment_id is not None:
                key = (row.owner_id, row.assignment_id)
                if key not in latest_per_task or row.updated_at > latest_per_task[key].updated_at:
                    latest_per_task[key] = row
        reports = await self._reports(list(latest_per_task.values()))
        trainees = []
        overall: list[int] = []
        bands: dict[str, Counter[str]] = {}
        for row in latest_per_task.values():
            if row.score is not None:
                overall.append(row.score)
            report = reports.get(row.id)
            if report is not None:
                for name, metric in report.metrics.items():
                    if metric.band is not None:
                        bands.setdefault(name, Counter())[str(metric.band.value)] += 1
        for account in members:
            done = [r for (owner, _), r in latest_per_task.items() if owner == account.id]
            latest = max(done, key=lambda r: r.updated_at, default=None)
            scores = [r.score for r in done if r.score is not None]
            latest_report = reports.get(latest.id) if latest else None
            trainees.append(
                dv.TraineeRow(
                    user=user_view(account),
                    assignments_done=len(done),
                    assignments_total=len(found),
                    latest_score=latest.score if latest else None,
                    best_score=max(scores, default=None),
                    bands={
                        name: (str(m.band.value) if m.band is not None else None)
                        for name, m in (latest_report.metrics.items() if latest_report else ())
                    },
                )
            )
        distributions: dict[str, Any] = {"overall": sorted(overall)}
        for name, counts in sorted(bands.items()):
            distributions[name] = {band: counts.get(band, 0) for band in BANDS}
        return dv.Dashboard(
            cohort=dv.CohortRef(id=cohort.id, name=cohort.name),
            trainees=trainees,
            distributions=distributions,
        )

    async def agreement(self, identity: Identity | None, cohort_id: str) -> dv.Agreement:
        """Cohen's kappa between the coder and the facilitators, per code and on the primary
        code, over the mentor turns a facilitator corrected (a correction equal to the coder's
        codes confirms them)."""
        cohort = await self.staff_cohort(identity, cohort_id)
        pairs = []
        for row in await self._cohort_rows(cohort.id):
            stored = await self.store.load_session(row.id)
            if stored is None:
                continue
            for t in stored.turns:
                if t.turn.coding is not None and t.turn.correction is not None:
                    pairs.append((t.turn.coding, t.turn.correction))
        per_code = {}
        for code in Code:
            both = sum(c.has(code) and f.has(code) for c, f in pairs)
            coder_only = sum(c.has(code) and not f.has(code) for c, f in pairs)
            facilitator_only = sum(f.has(code) and not c.has(code) for c, f in pairs)
            neither = len(pairs) - both - coder_only - facilitator_only
            if both + coder_only + facilitator_only == 0:
                continue
            per_code[code.value] = dv.CodeAgreement(
                kappa=binary_kappa(both, coder_only, facilitator_only, neither),
                n=len(pairs),
                agree=both,
                coder_only=coder_only,
                facilitator_only=facilitator_only,
            )
        overall = cohen_kappa([(c.primary.value, f.primary.value) for c, f in pairs])
        return dv.Agreement(turns=len(pairs), overall_kappa=overall, per_code=per_code)

    async def export_csv(self, identity: Identity | None, cohort_id: str) -> str:
        """One row per trainee x assignment: status, session, score, band and metric bands."""
        cohort = await self.staff_cohort(identity, cohort_id)
        _, members = await self._people(cohort.id)
        found = await self.store.read(partial(sql.cohort_assignments, cohort_ids=[cohort.id]))
        rows = await self._cohort_rows(cohort.id)
        chosen: dict[tuple[str, str], tuple[str, SessionRow | None]] = {}
        for account in members:
            for a in found:
                mine = [r for r in rows if r.owner_id == account.id and r.assignment_id == a.id]
                chosen[(account.id, a.id)] = status_of(mine)
        reports = await self._reports([r for _, r in chosen.values() if r is not None and r.ended])
        metrics = sorted({name for rep in reports.values() if rep for name in rep.metrics})
        out = io.StringIO()
        writer = csv.writer(out)
        head = ["trainee_id", "trainee_name", "trainee_email", "assignment_id", "assignment"]
        head += ["scenario", "framework", "due", "status", "session_id", "score", "band"]
        writer.writerow(head + metrics)
        for account in members:
            for a in found:
                status, row = chosen[(account.id, a.id)]
                report = reports.get(row.id) if row is not None else None
                cells: list[object] = [account.id, account.name, account.email, a.id, a.title]
                cells += [a.scenario, a.framework, a.due, status, row.id if row else None]
                cells += [row.score if row and row.ended else None]
                cells += [row.band if row and row.ended else None]
                for name in metrics:
                    metric = report.metrics.get(name) if report else None
                    cells.append(metric.band.value if metric and metric.band else None)
                writer.writerow([csv_safe(c) for c in cells])
        return out.getvalue()

    async def export_json(self, identity: Identity | None, cohort_id: str) -> dict[str, Any]:
        """Every assigned and shared session of the cohort: transcripts with the coder's codes,
        the facilitators' corrections and comments."""
        cohort = await self.staff_cohort(identity, cohort_id)
        listed = await self.cohort_sessions(identity, cohort.id, None)
        comments = await self.sessions._comments([s.id for s in listed])
        sessions = []
        for item in listed:
            stored = await self.store.load_session(item.id)
            if stored is None:
                continue
            per_turn: dict[int, list[dict[str, Any]]] = {}
            for c in comments.get(item.id, []):
                per_turn.setdefault(c.turn, []).append(c.model_dump(mode="json"))
            turns = []
            for t in stored.turns:
                turn = t.turn
                turns.append(
                    {
                        "index": turn.index,
                        "speaker": turn.speaker,
                        "text": turn.text,
                        "stage": turn.stage,
                        "coder": turn.coding.to_json() if turn.coding else None,
                        "correction": turn.correction.to_json() if turn.correction else None,
                        "comments": per_turn.get(turn.index, []),
                    }
                )
            sessions.append({**item.model_dump(mode="json"), "transcript": turns})
        return {
            "cohort": {"id": cohort.id, "name": cohort.name},
            "exported_at": utcnow().isoformat(),
            "sessions": sessions,
        }


def check_due(value: str | None) -> str | None:
    """A YYYY-MM-DD date, or 422."""
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise Invalid("due must be a date as YYYY-MM-DD.") from None
