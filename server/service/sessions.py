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
from collections.abc import Sequence
from typing import Any

from server.catalog import Catalog
from server.frameworks import FrameworkEngine
from server.practice import PracticeState, end, move_stage, start, take_turn
from server.scenarios.spec import ScenarioSpec
from server.scoring import build_report
from server.service import views
from server.service.cache import LiveSession, SessionCache
from server.service.errors import BUSY, ENDED, SESSION_NOT_FOUND, Conflict, Invalid, NotFound
from server.store import (
    GUEST,
    Identity,
    NewIdentity,
    Outcome,
    SessionChange,
    SessionRow,
    SessionStore,
    StoredTurn,
    new_id,
    new_token,
    utcnow,
)
from server.transcript import Turn

Live = LiveSession[PracticeState]


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
        self._cache: SessionCache[PracticeState] = SessionCache()
        self._busy: set[str] = set()

    def warm(self) -> None:
        """Run one turn in memory so lazily built parts (the coder's lexicon) load at start."""
        if not self.scenarios or not self.catalog.frameworks:
            return
        spec = next(iter(self.scenarios.values()))
        engine = next(iter(self.catalog.frameworks.values()))
        state, opening = start(spec, engine, 0)
        take_turn(spec, engine, state, [opening], "What would you like to talk about today?")

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

    def _specs(self, row: SessionRow) -> tuple[ScenarioSpec, FrameworkEngine]:
        spec = self.scenarios.get(row.scenario)
        engine = self.catalog.frameworks.get(row.framework)
        if spec is None or engine is None:
            raise Conflict(
                f"This session's scenario '{row.scenario}' or framework '{row.framework}' is no "
                "longer offered by this server; its transcript can still be read."
            )
        return spec, engine

    async def _load(self, owner_id: str, session_id: str) -> Live:
        head = await self.store.session_head(session_id)
        if head is None or head.owner_id != owner_id:
            raise NotFound(SESSION_NOT_FOUND)
        live = self._cache.get(session_id, head.version)
        if live is not None:
            return live
        stored = await self.store.load_session(session_id)
        if stored is None or stored.row.owner_id != owner_id:
            raise NotFound(SESSION_NOT_FOUND)
        state = PracticeState.model_validate_json(stored.row.state)
        live = LiveSession(stored.row, state, list(stored.turns))
        self._cache.put(live)
        return live

    # -- views ------------------------------------------------------------------------------

    def session_view(self, live: Live) -> views.SessionPublic:
        """The Session shape of docs/API.md."""
        row = live.row
        spec = self.scenarios.get(row.scenario)
        engine = self.catalog.frameworks.get(row.framework)
        if spec is None or engine is None:
            self._specs(row)  # raises the explanation
            raise AssertionError  # pragma: no cover
        card = views.scenario_card(spec)
        stage = live.state.framework_state.stage
        turns = [views.turn_public(t.turn, engine, t.comment) for t in live.turns]
        opening = next((t.text for t in turns if t.speaker == "mentee"), "")
        return views.SessionPublic(
            id=row.id,
            scenario=card,
            framework=views.FrameworkRef(id=engine.id, name=engine.spec.name),
            persona=card.persona,
            opening=opening,
            stage=stage,
            stage_title=engine.title(stage),
            stages=views.stage_refs(engine),
            turns=turns,
            ended=row.ended,
            exam_mode=row.exam_mode,
            created_at=row.created_at,
            updated_at=row.updated_at,
            score=row.score,
            band=row.band,
        )

    def summary_view(self, row: SessionRow) -> views.SessionSummary:
        """The list entry of a session (data files removed since still list)."""
        spec = self.scenarios.get(row.scenario)
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
        return [self.summary_view(row) for row in await self.store.list_sessions(owner.id)]

    async def read(self, owner: Identity | None, session_id: str) -> views.SessionPublic:
        """One of my sessions with all its turns."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        return self.session_view(await self._load(owner.id, session_id))

    async def report(self, owner: Identity | None, session_id: str) -> dict[str, Any]:
        """The report so far (or final), as JSON data."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        live = await self._load(owner.id, session_id)
        spec, engine = self._specs(live.row)
        report = build_report(
            [t.turn for t in live.turns],
            engine=engine,
            scenario=spec,
            framework_state=live.state.framework_state,
        )
        data: dict[str, Any] = report.model_dump(mode="json")
        return data

    # -- writes -----------------------------------------------------------------------------

    async def create(
        self, owner: Identity | None, scenario_id: str, framework_id: str, seed: int
    ) -> tuple[views.SessionPublic, NewIdentity | None]:
        """Start a session; a visitor without an identity gets a guest one with it."""
        spec, engine = self.scenario(scenario_id), self.framework(framework_id)
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
            assignment_id=None,
            exam_mode=False,
            created_at=now,
            updated_at=now,
        )
        await self.store.create_session(row, [opening], guest)
        live = LiveSession(row, state, [StoredTurn(opening)])
        self._cache.put(live)
        return self.session_view(live), guest

    async def take_turn(
        self, owner: Identity | None, session_id: str, text: str, key: str | None
    ) -> str:
        """Say `text` as the mentor; returns the TurnResult as JSON (stored for retries by key)."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        async with self._exclusive(session_id):
            live = await self._load(owner.id, session_id)
            if live.row.ended:
                return await self._replay_or(session_id, key, ENDED)
            spec, engine = self._specs(live.row)
            history = [t.turn for t in live.turns]
            outcome = take_turn(spec, engine, live.state, history, text)
            body = self._turn_result(engine, outcome).model_dump_json()
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

    def _turn_result(self, engine: FrameworkEngine, outcome: Any) -> views.TurnResult:
        mentor: Turn = outcome.mentor
        mentee: Turn = outcome.mentee
        mentor_view = views.turn_public(mentor, engine)
        stage = outcome.state.framework_state.stage
        return views.TurnResult(
            reply=mentee.text,
            codes=mentor_view.codes or [],
            primary=mentor_view.primary,
            suggestion=mentor_view.suggestion,
            stage=stage,
            stage_title=engine.title(stage),
            nudge=outcome.nudge,
            mentor_turn=mentor_view,
            mentee_turn=views.turn_public(mentee, engine),
            trust=mentee.mentee.trust if mentee.mentee else None,
        )

    async def _replay_or(self, session_id: str, key: str | None, refusal: str) -> str:
        if key is not None:
            first = await self.store.stored_response(session_id, key)
            if first is not None:
                return first
        raise Conflict(refusal)

    def _advance(
        self, live: Live, change: SessionChange, state: PracticeState, new_turns: Sequence[Turn]
    ) -> None:
        row = dataclasses.replace(
            live.row,
            version=change.expected_version + 1,
            state=change.state,
            turn_count=live.row.turn_count + len(new_turns),
            updated_at=change.at,
            ended=live.row.ended if change.ended is None else change.ended,
            score=live.row.score if change.score is None else change.score,
            band=live.row.band if change.band is None else change.band,
        )
        turns = live.turns + [StoredTurn(t) for t in new_turns]
        self._cache.put(LiveSession(row, state, turns))

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

    async def finish(self, owner: Identity | None, session_id: str) -> views.SessionPublic:
        """End a session and keep its score and band (ending twice changes nothing)."""
        if owner is None:
            raise NotFound(SESSION_NOT_FOUND)
        async with self._exclusive(session_id):
            live = await self._load(owner.id, session_id)
            if live.row.ended:
                return self.session_view(live)
            spec, engine = self._specs(live.row)
            report = build_report(
                [t.turn for t in live.turns],
                engine=engine,
                scenario=spec,
                framework_state=live.state.framework_state,
            )
            score, band = report.overall.score, str(report.overall.band.value)
            live = await self._commit(live, end(live.state), ended=True, score=score, band=band)
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
