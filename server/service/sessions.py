"""The practice-session service: load, fire, store; one turn at a time per session.

A request for a session reads its head (owner, version) from the store, takes the parsed session
from the in-process cache when the version matches (else loads it), runs the pure practice engine,
and hands the store one change guarded by the version it started from. Within a process a second
request for a session that is busy is refused at once; across processes the version check refuses
the later of two writers. Nothing a second process would need is kept only here.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

from server.catalog import Catalog
from server.coding.labels import Code, CodedTurn, CodeHit
from server.frameworks import FrameworkEngine
from server.practice import PracticeState, end, move_stage, start, take_turn
from server.safety import check_risk, load_support
from server.scenarios.spec import ScenarioSpec
from server.scoring import build_report
from server.service import views
from server.service.cache import LiveSession, SessionCache
from server.service.errors import (
    BUSY,
    COHORT_NOT_FOUND,
    ENDED,
    LOG_IN,
    SESSION_NOT_FOUND,
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
)
from server.store import (
    GUEST,
    USER,
    Identity,
    NewIdentity,
    Outcome,
    SessionChange,
    SessionHead,
    SessionRow,
    SessionStore,
    StoredTurn,
    new_id,
    new_token,
    utcnow,
)
from server.store import accounts as account_sql
from server.store import cohorts as cohort_sql
from server.store.cohorts import Assignment, SessionLinks
from server.transcript import Turn

Live = LiveSession[PracticeState]
ASSIGNMENT_NOT_FOUND = "No such assignment of yours: GET /api/assignments lists yours."
REVIEWERS_ONLY = (
    "Only a facilitator of the session's cohort (or an admin) can correct codes and comment."
)
EXAM_REPORT = "This is an exam: the report comes when you end the session."


def catalog_scenarios(catalog: Catalog) -> dict[str, ScenarioSpec]:
    """The catalog's scenarios (built-in ones loaded here while the catalog lacks them)."""
    found: dict[str, ScenarioSpec] | None = getattr(catalog, "scenarios", None)
    return found if found is not None else _builtin_scenarios()


@functools.cache
def _builtin_scenarios() -> dict[str, ScenarioSpec]:
    from server.scenarios import load_all

    return load_all()


def new_guest() -> NewIdentity:
    """A fresh guest identity and its cookie token."""
    return NewIdentity(Identity(new_id(), GUEST, utcnow()), new_token())


class SessionService:
    """Everything the session routes do, without HTTP."""

    def __init__(self, store: SessionStore, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog
        self.scenarios = catalog_scenarios(catalog)
        self._published: dict[str, ScenarioSpec] = {}  # immutable snapshots, safe to keep
        self._cache: SessionCache[PracticeState] = SessionCache()
        self._busy: set[str] = set()

    def warm(self) -> None:
        """Run one turn in memory so lazily built parts (the coder's lexicon) load at start."""
        if not self.scenarios or not self.catalog.frameworks:
            return
        spec = next(iter(self.scenarios.values()))
        engine = next(iter(self.catalog.frameworks.values()))
        state, opening = start(spec, engine, 0)
        text = "What would you like to talk about today?"
        outcome = take_turn(spec, engine, state, [opening], text)
        self._turn_result(engine, outcome)
        with_support("{}", text)  # the risk screen builds its indexes on first use
        turns = [opening, outcome.mentor, outcome.mentee]
        build_report(
            turns, engine=engine, scenario=spec, framework_state=outcome.state.framework_state
        )

    # -- lookups ----------------------------------------------------------------------------

    def scenario(self, scenario_id: str) -> ScenarioSpec:
        """A scenario by id, or 422 naming the known ones."""
        spec = self.scenarios.get(scenario_id)
        if spec is None:
            known = ", ".join(sorted(self.scenarios))
            raise Invalid(f"Unknown scenario: choose one of {known} (GET /api/scenarios).")
        return spec

    def framework(self, framework_id: str) -> FrameworkEngine:
        """A framework by id, or 422 naming the known ones."""
        engine = self.catalog.frameworks.get(framework_id)
        if engine is None:
            known = ", ".join(sorted(self.catalog.frameworks))
            raise Invalid(f"Unknown framework: choose one of {known} (GET /api/frameworks).")
        return engine

    def spec_of(self, scenario_id: str) -> ScenarioSpec | None:
        """A built-in scenario, or a published one already loaded in this process."""
        return self.scenarios.get(scenario_id) or self._published.get(scenario_id)

    async def load_spec(self, scenario_id: str) -> ScenarioSpec | None:
        """A built-in scenario or a published snapshot (read once; snapshots never change)."""
        known = self.spec_of(scenario_id)
        if known is not None or not scenario_id.startswith("p-"):
            return known
        text = await self.store.read(partial(cohort_sql.published_spec, scenario_id=scenario_id))
        if text is None:
            return None
        spec = published_spec(scenario_id, text)
        self._published[scenario_id] = spec
        return spec

    async def visible_scenarios(self, identity: Identity | None) -> list[ScenarioSpec]:
        """The built-in scenarios, and those published to the caller's cohorts."""
        found = list(self.scenarios.values())
        if identity is None or identity.kind != USER:
            return found
        rows = await self.store.read(partial(cohort_sql.visible_published, user_id=identity.id))
        for scenario_id, text in rows:
            spec = self._published.get(scenario_id)
            if spec is None:
                spec = self._published[scenario_id] = published_spec(scenario_id, text)
            found.append(spec)
        return found

    async def usable_scenario(
        self, identity: Identity | None, scenario_id: str, cohort_id: str | None = None
    ) -> ScenarioSpec:
        """A scenario the caller may practise (or assign to `cohort_id`), or 422 naming the
        built-in ones."""
        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        if identity is not None and identity.kind == USER and scenario_id.startswith("p-"):
            if cohort_id is not None:
                job = partial(
                    cohort_sql.published_in_cohort, scenario_id=scenario_id, cohort_id=cohort_id
                )
            else:
                job = partial(
                    cohort_sql.published_to_user, scenario_id=scenario_id, user_id=identity.id
                )
            if await self.store.read(job):
                spec = await self.load_spec(scenario_id)
                if spec is not None:
                    return spec
        return self.scenario(scenario_id)

    def _specs(self, row: SessionRow) -> tuple[ScenarioSpec, FrameworkEngine]:
        spec = self.spec_of(row.scenario)
        engine = self.catalog.frameworks.get(row.framework)
        if spec is None or engine is None:
            raise Conflict(
                f"This session's scenario '{row.scenario}' or framework '{row.framework}' is no "
                "longer offered by this server; its transcript can still be read."
            )
        return spec, engine

    async def _load(
        self, owner_id: str | None, session_id: str, head: SessionHead | None = None
    ) -> Live:
        """The session if `owner_id` owns it (None: whoever owns it; the caller checked);
        `head`: its head, when the caller has just read it."""
        if head is None:
            head = await self.store.session_head(session_id)
        if head is None or (owner_id is not None and head.owner_id != owner_id):
            raise NotFound(SESSION_NOT_FOUND)
        live = self._cache.get(session_id, head.version)
        if live is not None:
            return live
        stored = await self.store.load_session(session_id)
        if stored is None or (owner_id is not None and stored.row.owner_id != owner_id):
            raise NotFound(SESSION_NOT_FOUND)
        await self.load_spec(stored.row.scenario)
        state = PracticeState.model_validate_json(stored.row.state)
        live = LiveSession(stored.row, state, list(stored.turns))
        self._cache.put(live)
        return live

    async def _links(self, identity: Identity | None, session_id: str) -> SessionLinks:
        """Who may see a session; 404 unless the caller is its owner or one of its reviewers."""
        if identity is None:
            raise NotFound(SESSION_NOT_FOUND)
        job = partial(cohort_sql.session_links, session_id=session_id, user_id=identity.id)
        links = await self.store.read(job)
        if links is None:
            raise NotFound(SESSION_NOT_FOUND)
        if links.owner_id == identity.id or is_reviewer(identity, links):
            return links
        raise NotFound(SESSION_NOT_FOUND)

    async def _readable(self, identity: Identity | None, session_id: str) -> tuple[Live, bool]:
        """The session and whether the caller reads it as a reviewer (not its owner)."""
        if identity is None:
            raise NotFound(SESSION_NOT_FOUND)
        head = await self.store.session_head(session_id)
        if head is not None and head.owner_id == identity.id:  # the owner: no links to read
            return await self._load(identity.id, session_id, head), False
        links = await self._links(identity, session_id)
        live = await self._load(links.owner_id, session_id)
        return live, live.row.owner_id != identity.id

    async def _comments(self, session_ids: list[str]) -> dict[str, list[views.CommentPublic]]:
        """The comments on some sessions, with their authors, per session id."""
        found = await self.store.read(partial(cohort_sql.session_comments, session_ids=session_ids))
        if not found:
            return {}
        authors = await self.store.read(
            partial(account_sql.by_ids, ids=[c.author_id for c in found])
        )
        out: dict[str, list[views.CommentPublic]] = {}
        for c in found:
            author = authors.get(c.author_id)
            user = views.User(
                id=c.author_id,
                email=author.email if author else None,
                name=author.name if author else None,
                role=author.role if author else "guest",
            )
            out.setdefault(c.session_id, []).append(
                views.CommentPublic(
                    id=c.id, turn=c.turn_idx, author=user, text=c.text, created_at=c.created_at
                )
            )
        return out

    # -- views ------------------------------------------------------------------------------

    def session_view(
        self,
        live: Live,
        comments: Sequence[views.CommentPublic] = (),
        *,
        reviewer: bool = False,
        shared_with: Sequence[str] = (),
    ) -> str:
        """The Session shape of docs/API.md, as JSON (exam mode hides the codes from the trainee
        until the session ends)."""
        row = live.row
        spec = self.spec_of(row.scenario)
        engine = self.catalog.frameworks.get(row.framework)
        if spec is None or engine is None:
            self._specs(row)  # raises the explanation
            raise AssertionError  # pragma: no cover
        hide = row.exam_mode and not row.ended and not reviewer
        per_turn: dict[int, list[dict[str, Any]]] = {}
        for comment in comments:
            per_turn.setdefault(comment.turn, []).append(comment.model_dump(mode="json"))
        turns = [
            views.turn_data(
                t.turn,
                engine,
                t.comment,
                comments=per_turn.get(t.turn.index, ()),
                hide_codes=hide,
            )
            for t in live.turns
        ]
        data = views.session_data(
            session_id=row.id,
            spec=spec,
            engine=engine,
            stage=live.state.framework_state.stage,
            turns=turns,
            ended=row.ended,
            exam_mode=row.exam_mode,
            created_at=row.created_at,
            updated_at=row.updated_at,
            score=row.score,
            band=row.band,
            assignment_id=row.assignment_id,
            shared_with=shared_with,
            reviewer=reviewer,
        )
        return views.to_json(data)

    def summary_view(self, row: SessionRow) -> views.SessionSummary:
        """The list entry of a session (data files removed since still list)."""
        spec = self.spec_of(row.scenario)
        engine = self.catalog.frameworks.get(row.framework)
        return views.SessionSummary(
            id=row.id,
            scenario=views.ScenarioRef(id=row.scenario, title=spec.title if spec else row.scenario),
            framework=views.FrameworkRef(
                id=row.framework, name=engine.spec.name if engine else row.framework
            ),
            created_at=row.created_at,
            updated_at=row.updated_at,
            ended=row.ended,
            turns=row.turn_count,
            score=row.score,
            band=row.band,
            persona_name=spec.persona.name if spec else "",
        )

    # -- reads ------------------------------------------------------------------------------

    async def list_sessions(self, owner: Identity | None) -> list[views.SessionSummary]:
        """My sessions, most recently active first."""
        if owner is None:
            return []
        rows = await self.store.list_sessions(owner.id)
        for scenario_id in {row.scenario for row in rows}:
            await self.load_spec(scenario_id)
        return [self.summary_view(row) for row in rows]

    async def read(self, owner: Identity | None, session_id: str) -> str:
        """A session with all its turns and comments, as JSON: mine, or one I review (read
        only)."""
        live, reviewer = await self._readable(owner, session_id)
        comments = (await self._comments([session_id])).get(session_id, [])
        shared: list[str] = []
        if not reviewer:
            shared = await self.store.read(partial(cohort_sql.shared_with, session_id=session_id))
        return self.session_view(live, comments, reviewer=reviewer, shared_with=shared)

    def report_of(self, live: Live) -> Any:
        """The report of a loaded session (with any facilitator's corrections), computed once per
        cache entry: an entry is one version of the session and is never changed, so reading
        the report and then ending the session builds it once."""
        if live.report is not None:
            return live.report
        spec, engine = self._specs(live.row)
        live.report = build_report(
            [t.turn for t in live.turns],
            engine=engine,
            scenario=spec,
            framework_state=live.state.framework_state,
        )
        return live.report

    async def report(self, owner: Identity | None, session_id: str) -> dict[str, Any]:
        """The report so far (or final), as JSON data, with the facilitators' comments."""
        live, reviewer = await self._readable(owner, session_id)
        if live.row.exam_mode and not live.row.ended and not reviewer:
            raise Conflict(EXAM_REPORT)
        data: dict[str, Any] = self.report_of(live).model_dump(mode="json")
        comments = (await self._comments([session_id])).get(session_id, [])
        data["comments"] = [c.model_dump(mode="json") for c in comments]
        return data

    # -- writes -----------------------------------------------------------------------------

    async def assignment_for(self, identity: Identity | None, assignment_id: str) -> Assignment:
        """An assignment of a cohort the caller is in, or 404."""
        if identity is None or identity.kind != USER:
            raise NotFound(ASSIGNMENT_NOT_FOUND)
        found = await self.store.read(partial(cohort_sql.assignment, assignment_id=assignment_id))
        if found is None:
            raise NotFound(ASSIGNMENT_NOT_FOUND)
        role = await self.store.read(
            partial(cohort_sql.cohort_role, cohort_id=found.cohort_id, user_id=identity.id)
        )
        if role is None:
            raise NotFound(ASSIGNMENT_NOT_FOUND)
        return found

    async def create(
        self,
        owner: Identity | None,
        scenario_id: str | None,
        framework_id: str | None,
        seed: int,
        assignment_id: str | None = None,
    ) -> tuple[str, NewIdentity | None]:
        """Start a session (free practice, or from an assignment of one of my cohorts); a
        visitor without an identity gets a guest one with it. The session as JSON."""
        assignment: Assignment | None = None
        if assignment_id is not None:
            assignment = await self.assignment_for(owner, assignment_id)
            if scenario_id not in (None, assignment.scenario) or framework_id not in (
                None,
                assignment.framework,
            ):
                raise Invalid(
                    "An assignment sets the scenario and framework: send only the assignment."
                )
            scenario_id, framework_id = assignment.scenario, assignment.framework
            spec = await self.load_spec(scenario_id)
            if spec is None:
                raise Conflict("This assignment's scenario is no longer offered by this server.")
            engine = self.framework(framework_id)
        else:
            if scenario_id is None or framework_id is None:
                raise Invalid("Send a scenario and a framework, or an assignment.")
            spec = await self.usable_scenario(owner, scenario_id)
            engine = self.framework(framework_id)
        state, opening = start(spec, engine, seed)
        guest = new_guest() if owner is None else None
        owner_id = owner.id if owner else guest.identity.id  # type: ignore[union-attr]
        now = utcnow()
        row = SessionRow(
            id=new_id(),
            owner_id=owner_id,
            scenario=spec.id,
            framework=engine.id,
            seed=seed,
            state=state.model_dump_json(),
            version=0,
            turn_count=1,
            ended=False,
            score=None,
            band=None,
            assignment_id=assignment.id if assignment else None,
            exam_mode=assignment.exam_mode if assignment else False,
            created_at=now,
            updated_at=now,
        )
        await self.store.create_session(row, [opening], guest)
        live = LiveSession(row, state, [StoredTurn(opening)])
        self._cache.put(live)
        return self.session_view(live), guest

    async def take_turn(
        self,
        owner: Identity | None,
        session_id: str,
        text: str,
        key: str | None,
        arrived: float | None = None,
    ) -> str:
        """Say `text` as the mentor; returns the TurnResult as JSON (stored for retries by key).

        `arrived` (time.monotonic() when the request came in): a turn that arrived before this
        session's last reply was sent was sent at once with that turn (two tabs): 409."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        async with self._exclusive(session_id):
            live = await self._load(owner.id, session_id)
            if arrived is not None and arrived < live.replied_at:
                return await self._replay_or(session_id, key, BUSY)
            if live.row.ended:
                return await self._replay_or(session_id, key, ENDED)
            spec, engine = self._specs(live.row)
            history = [t.turn for t in live.turns]
            outcome = take_turn(spec, engine, live.state, history, text)
            body = self._turn_result(engine, outcome, exam=live.row.exam_mode)
            new_turns = (outcome.mentor, outcome.mentee)
            change = SessionChange(
                session_id,
                live.row.version,
                outcome.state.model_dump_json(),
                new_turns,
                key=key,
                response=body,
            )
            result = await self.store.apply(change)
            if result.outcome is Outcome.REPLAY:
                return str(result.response)
            if result.outcome is Outcome.CONFLICT:
                self._cache.drop(session_id)
                return await self._replay_or(session_id, key, BUSY)
            self._advance(live, change, outcome.state, new_turns)
            return body

    def _turn_result(self, engine: FrameworkEngine, outcome: Any, exam: bool = False) -> str:
        """The TurnResult of docs/API.md, as JSON."""
        stage = outcome.state.framework_state.stage
        data = views.turn_result_data(
            outcome.mentor, outcome.mentee, engine, stage, outcome.nudge, exam=exam
        )
        return views.to_json(data)

    async def _replay_or(self, session_id: str, key: str | None, refusal: str) -> str:
        if key is not None:
            first = await self.store.stored_response(session_id, key)
            if first is not None:
                return first
        raise Conflict(refusal)

    def _advance(
        self, live: Live, change: SessionChange, state: PracticeState, new_turns: Sequence[Turn]
    ) -> None:
        old = live.row
        # Built whole: `dataclasses.replace` costs twice as much, on every turn.
        row = SessionRow(
            id=old.id,
            owner_id=old.owner_id,
            scenario=old.scenario,
            framework=old.framework,
            seed=old.seed,
            state=change.state,
            version=change.expected_version + 1,
            turn_count=old.turn_count + len(new_turns),
            ended=old.ended if change.ended is None else change.ended,
            score=old.score if change.score is None else change.score,
            band=old.band if change.band is None else change.band,
            assignment_id=old.assignment_id,
            exam_mode=old.exam_mode,
            created_at=old.created_at,
            updated_at=change.at,
        )
        turns = live.turns + [StoredTurn(t) for t in new_turns]
        replied = time.monotonic() if new_turns else live.replied_at
        self._cache.put(LiveSession(row, state, turns, replied_at=replied))

    async def move(self, owner: Identity | None, session_id: str, to: str) -> views.StageMoved:
        """An explicit move to stage `to`; the framework's guards decide (a refusal is 409)."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        async with self._exclusive(session_id):
            live = await self._load(owner.id, session_id)
            if live.row.ended:
                raise Conflict(ENDED)
            spec, engine = self._specs(live.row)
            if engine.resolve_stage(to) is None:
                raise Invalid(f"Unknown stage: choose one of {', '.join(engine.stage_ids)}.")
            history = [t.turn for t in live.turns]
            state, moved = move_stage(spec, engine, live.state, history, to)
            await self._commit(live, state)
            if not moved.accepted:
                raise Conflict(moved.reason or "The framework does not allow this move now.")
            stage = state.framework_state.stage
            kind = getattr(moved.kind, "value", moved.kind)
            return views.StageMoved(stage=stage, stage_title=engine.title(stage), kind=kind)

    async def finish(self, owner: Identity | None, session_id: str) -> str:
        """End a session and keep its score and band (ending twice changes nothing); the session
        as JSON."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        async with self._exclusive(session_id):
            live = await self._load(owner.id, session_id)
            if live.row.ended:
                return self.session_view(live)
            report = self.report_of(live)
            score, band = report.overall.score, str(report.overall.band.value)
            live = await self._commit(live, end(live.state), ended=True, score=score, band=band)
            live.report = report  # ending changes neither the turns nor the framework's state
            return self.session_view(live)

    async def _commit(
        self,
        live: Live,
        state: PracticeState,
        *,
        ended: bool | None = None,
        score: int | None = None,
        band: str | None = None,
    ) -> Live:
        change = SessionChange(
            live.row.id,
            live.row.version,
            state.model_dump_json(),
            ended=ended,
            score=score,
            band=band,
        )
        result = await self.store.apply(change)
        if result.outcome is not Outcome.COMMITTED:
            self._cache.drop(live.row.id)
            raise Conflict(BUSY)
        self._advance(live, change, state, ())
        fresh = self._cache.get(live.row.id, change.expected_version + 1)
        assert fresh is not None
        return fresh

    # -- the facilitator's side: corrections, comments; the trainee's: sharing ----------------

    async def _reviewed(self, identity: Identity | None, session_id: str) -> Live:
        """A session the caller reviews: 401 without an account, 403 for a trainee (a role that
        never reviews), 404 unless they facilitate its cohort (or are an admin and it is in one),
        403 for the owner reading their own session."""
        if identity is None or identity.kind != USER or identity.role is None:
            raise Unauthorized(LOG_IN)
        if identity.role not in ("facilitator", "admin"):
            raise Forbidden(REVIEWERS_ONLY)
        links = await self._links(identity, session_id)
        if not is_reviewer(identity, links):
            raise Forbidden(REVIEWERS_ONLY)
        return await self._load(links.owner_id, session_id)

    @staticmethod
    def _mentor_turn(live: Live, index: int) -> Turn:
        for stored in live.turns:
            if stored.turn.index == index:
                if stored.turn.speaker != "mentor" or stored.turn.coding is None:
                    raise Invalid("Only a coded mentor turn (the trainee's words) has codes.")
                return stored.turn
        raise NotFound(f"No turn {index} in this session.")

    async def correct(
        self,
        identity: Identity | None,
        session_id: str,
        index: int,
        codes: Sequence[tuple[str, str | None]],
        primary: str | None,
    ) -> dict[str, Any]:
        """Store a facilitator's codes for a mentor turn (the coder's stay) and return the
        report recomputed with it; `primary` None with no codes removes the correction."""
        async with self._exclusive(session_id):
            live = await self._reviewed(identity, session_id)
            turn = self._mentor_turn(live, index)
            correction = None if primary is None else corrected(turn, codes, primary)
            fixed = turn.model_copy(update={"correction": correction})
            turns = [
                StoredTurn(fixed, t.comment) if t.turn.index == index else t for t in live.turns
            ]
            candidate = LiveSession(live.row, live.state, turns)
            report = self.report_of(candidate)
            score = report.overall.score if live.row.ended else None
            band = str(report.overall.band.value) if live.row.ended else None
            job = partial(
                cohort_sql.set_correction,
                session_id=session_id,
                idx=index,
                correction=None if correction is None else correction.model_dump_json(),
                expected_version=live.row.version,
                score=score,
                band=band,
            )
            if not await self.store.write(job):
                self._cache.drop(session_id)
                raise Conflict(BUSY)
            row = dataclasses.replace(
                live.row,
                version=live.row.version + 1,
                score=live.row.score if score is None else score,
                band=live.row.band if band is None else band,
            )
            self._cache.put(LiveSession(row, live.state, turns, report))
            data: dict[str, Any] = report.model_dump(mode="json")
            return data

    async def comment(
        self, identity: Identity | None, session_id: str, index: int, text: str
    ) -> views.CommentPublic:
        """A facilitator's comment on a turn; the trainee sees it with the session."""
        live = await self._reviewed(identity, session_id)
        assert identity is not None
        if not any(t.turn.index == index for t in live.turns):
            raise NotFound(f"No turn {index} in this session.")
        comment = cohort_sql.Comment(new_id(), session_id, index, identity.id, text, utcnow())
        await self.store.write(partial(cohort_sql.add_comment, comment=comment))
        author = await self.store.read(partial(account_sql.by_id, account_id=identity.id))
        user = views.User(
            id=identity.id,
            email=author.email if author else None,
            name=author.name if author else None,
            role=identity.role,
        )
        return views.CommentPublic(
            id=comment.id, turn=index, author=user, text=text, created_at=comment.created_at
        )

    async def share(self, identity: Identity | None, session_id: str, cohort_id: str) -> str:
        """Share one of my sessions with a cohort I am in (its facilitators may then read it);
        the session as JSON."""
        if identity is None:
            raise NotFound(SESSION_NOT_FOUND)
        live = await self._load(identity.id, session_id)
        role = await self.store.read(
            partial(cohort_sql.cohort_role, cohort_id=cohort_id, user_id=identity.id)
        )
        if role is None:
            raise NotFound(COHORT_NOT_FOUND)
        await self.store.write(
            partial(cohort_sql.share, session_id=session_id, cohort_id=cohort_id, at=utcnow())
        )
        shared = await self.store.read(partial(cohort_sql.shared_with, session_id=session_id))
        comments = (await self._comments([session_id])).get(session_id, [])
        return self.session_view(live, comments, shared_with=shared)

    async def unshare(
        self, identity: Identity | None, session_id: str, cohort_id: str | None
    ) -> None:
        """Stop sharing a session with one cohort (or with all)."""
        if identity is None:
            raise NotFound(SESSION_NOT_FOUND)
        await self._load(identity.id, session_id)
        await self.store.write(
            partial(cohort_sql.unshare, session_id=session_id, cohort_id=cohort_id)
        )

    def _exclusive(self, session_id: str) -> _Exclusive:
        return _Exclusive(self._busy, session_id)


class _Exclusive:
    """Marks a session busy in this process for the length of a write; a second writer gets 409."""

    def __init__(self, busy: set[str], session_id: str) -> None:
        self._busy = busy
        self._id = session_id

    async def __aenter__(self) -> None:
        if self._id in self._busy:
            raise Conflict(BUSY)
        self._busy.add(self._id)

    async def __aexit__(self, *exc: object) -> None:
        self._busy.discard(self._id)


def published_spec(scenario_id: str, text: str) -> ScenarioSpec:
    """A published snapshot (stored as its author wrote it) under its own published id."""
    return ScenarioSpec.model_validate_json(text).model_copy(update={"id": scenario_id})


def is_reviewer(identity: Identity, links: SessionLinks) -> bool:
    """A facilitator of one of the session's cohorts, or an admin when it is in any cohort
    (free practice nobody shared stays private, even from admins)."""
    if identity.kind != USER or identity.role not in ("facilitator", "admin"):
        return False
    if identity.role == "admin" and links.cohort_ids:
        return True
    return bool(links.facilitated)


def corrected(turn: Turn, codes: Sequence[tuple[str, str | None]], primary: str) -> CodedTurn:
    """A facilitator's codes for a mentor turn, in the coder's shape (the span is the turn)."""
    known = {code.value for code in Code}
    names = [name for name, _ in codes]
    unknown = sorted({n for n in [*names, primary] if n not in known})
    if unknown:
        raise Invalid(f"Unknown code {', '.join(unknown)}: choose from {', '.join(sorted(known))}.")
    if primary not in names:
        raise Invalid("primary must be one of the codes you give.")
    span = (0, len(turn.text))
    hits = tuple(
        CodeHit(code=Code(name), detail=detail, span=span, evidence=turn.text[:200])
        for name, detail in codes
    )
    base = turn.coding
    return CodedTurn(
        primary=Code(primary),
        codes=hits,
        stage_intent=base.stage_intent if base else None,
        suggestion=None,
    )


def with_support(body: str, text: str) -> str:
    """A turn's answer with the support card added when the trainee's own words speak of
    distress (check_risk leaves questions and reflections about the mentee alone). Nothing of it
    is stored: the stored answer (for retries) and the transcript do not carry it."""
    if not check_risk(text).flagged:
        return body
    data = json.loads(body)
    data["support"] = load_support().model_dump(mode="json")
    return views.to_json(data)
