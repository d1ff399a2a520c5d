"""Self-mentoring walkthroughs (docs/API-walkthroughs.md): the program as mentor, private by design.

Only the owner (guest or account) can see or change a walkthrough: every query names the owner,
so anybody else, whatever their role, gets 404 through every route. Every answer passes the local
risk check first; on a hit the walkthrough pauses with the support card and the words are not
stored. Retention (`EMPOWERER_WALKTHROUGH_RETENTION_DAYS`, 0 = keep) is applied at start and hourly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from server import walkthrough as guide
from server.api.deps import CatalogDep, SettingsDep
from server.api.errors import READ_ERRORS, WRITE_ERRORS
from server.api.identity import IdentityDep, set_identity_cookie
from server.api.sessions import check_text
from server.frameworks import FrameworkEngine
from server.safety import SupportCard, check_risk, load_support
from server.service.errors import Conflict, Invalid, NotFound
from server.store import GUEST, Identity, NewIdentity, SqlStore, new_id, new_token, utcnow
from server.store.walkthroughs import WalkRow, WalkthroughStore
from server.walkthrough import Plan, Prompt, WalkState, to_ics, to_markdown


def no_store(response: Response) -> None:
    """Private answers stay out of shared and browser caches."""
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(prefix="/walkthroughs", tags=["walkthroughs"], dependencies=[Depends(no_store)])
log = logging.getLogger(__name__)

WALK_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
NOT_FOUND = "No such walkthrough of yours: check the id, or start one with POST /api/walkthroughs."
NO_DATE = (
    "No step of this plan has a date yet: answer the question about your first step with a day "
    'or a date ("on Friday", "3 March"), then download the reminder.'
)
HARD_TEXT_CAP = 4000
RETENTION_INTERVAL = 3600.0

Move = Callable[[FrameworkEngine, WalkState], tuple[WalkState, Prompt]]


# -- the public shapes ------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrameworkRef(_Out):
    id: str
    name: str


class StageRef(_Out):
    id: str
    title: str


class Message(_Out):
    """One line of the conversation: the guide's or the user's."""

    speaker: Literal["guide", "user"]
    text: str
    stage: str


class Walkthrough(_Out):
    """A walkthrough as its owner sees it; `support` is set when `prompt.kind` is "support"."""

    id: str
    framework: FrameworkRef
    status: Literal["active", "paused", "support", "finished"]
    stage: str
    stage_title: str
    stages: list[StageRef]
    prompt: Prompt
    messages: list[Message]
    plan: Plan
    created_at: datetime
    updated_at: datetime
    support: SupportCard | None = None


class WalkthroughSummary(_Out):
    """One line of my walkthroughs list."""

    id: str
    framework: FrameworkRef
    status: Literal["active", "paused", "support", "finished"]
    stage: str
    stage_title: str
    goal: str | None
    created_at: datetime
    updated_at: datetime


class AnswerRecord(_Out):
    stage: str
    question: str
    text: str


class WalkthroughExport(_Out):
    """Everything stored about a walkthrough, for its owner to keep."""

    walkthrough: Walkthrough
    answers: list[AnswerRecord]
    markdown: str
    exported_at: datetime


class WalkthroughCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    framework: str = Field(min_length=1, max_length=100, description="A framework id")

    @field_validator("framework")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "framework")


class AnswerCreate(BaseModel):
    """What the user writes in answer to the guide's question."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1,
        max_length=HARD_TEXT_CAP,
        description="1..2000 characters after trimming (the server's cap); no NUL, no lone surrogates",
    )

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = check_text(value, "text").strip()
        if not value:
            raise ValueError("text is empty: write an answer, or use skip")
        return value


# -- dependencies -------------------------------------------------------------------------------


def walk_store(app: FastAPI) -> WalkthroughStore:
    """The app's walkthrough store (made on first use, over the app's SqlStore)."""
    found: WalkthroughStore | None = getattr(app.state, "walkthroughs", None)
    if found is None:
        store = app.state.store
        if not isinstance(store, SqlStore):
            raise RuntimeError("Walkthroughs need the SQL store (SqlStore).")
        found = WalkthroughStore(store)
        app.state.walkthroughs = found
    return found


_support: SupportCard | None = None


def support_card() -> SupportCard:
    """The support card, read once per process."""
    global _support
    if _support is None:
        _support = load_support()
    return _support


def _engine(catalog: CatalogDep, framework_id: str) -> FrameworkEngine:
    engine = catalog.frameworks.get(framework_id)
    if engine is None:
        known = ", ".join(sorted(catalog.frameworks))
        raise Invalid(f"Unknown framework: choose one of {known} (GET /api/frameworks).")
    return engine


def _owner(identity: Identity | None, walk_id: str) -> str:
    """The caller's id; anything that cannot be theirs is 404 before the database is asked."""
    if identity is None or not WALK_ID.match(walk_id):
        raise NotFound(NOT_FOUND)
    return identity.id


# -- rows <-> views -------------------------------------------------------------------------------


def _messages(row: WalkRow) -> list[Message]:
    return [Message.model_validate(m) for m in json.loads(row.messages)]


def _with(row: WalkRow, state: WalkState, prompt: Prompt, user_text: str | None = None) -> WalkRow:
    """The row after a step: the new state and prompt; the messages grow by what was said."""
    said = json.loads(row.messages)
    if user_text is not None:
        said.append({"speaker": "user", "text": user_text, "stage": row_stage(row)})
    if prompt.kind != "support":  # the pause for support leaves no trace in the conversation
        said.append({"speaker": "guide", "text": prompt.text, "stage": prompt.stage})
    return WalkRow(
        id=row.id,
        owner_id=row.owner_id,
        framework=row.framework,
        status=state.status,
        state=state.model_dump_json(),
        prompt=prompt.model_dump_json(),
        messages=json.dumps(said, ensure_ascii=False),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def row_stage(row: WalkRow) -> str:
    """The stage the pending question belongs to (where the user's answer is said)."""
    state = WalkState.model_validate_json(row.state)
    return state.pending.stage if state.pending else state.position.stage


def view(row: WalkRow, engine: FrameworkEngine | None) -> Walkthrough:
    """The owner's view of a stored walkthrough."""
    state = WalkState.model_validate_json(row.state)
    prompt = Prompt.model_validate_json(row.prompt)
    stage = state.position.stage
    title = engine.title(stage) if engine else stage
    stages = [StageRef(id=s, title=engine.title(s)) for s in engine.stage_ids] if engine else []
    return Walkthrough(
        id=row.id,
        framework=FrameworkRef(
            id=row.framework, name=engine.spec.name if engine else row.framework
        ),
        status=state.status,
        stage=stage,
        stage_title=title,
        stages=stages,
        prompt=prompt,
        messages=_messages(row),
        plan=state.plan,
        created_at=row.created_at,
        updated_at=row.updated_at,
        support=support_card() if prompt.kind == "support" else None,
    )


def summary(row: WalkRow, engine: FrameworkEngine | None) -> WalkthroughSummary:
    state = WalkState.model_validate_json(row.state)
    stage = state.position.stage
    return WalkthroughSummary(
        id=row.id,
        framework=FrameworkRef(
            id=row.framework, name=engine.spec.name if engine else row.framework
        ),
        status=state.status,
        stage=stage,
        stage_title=engine.title(stage) if engine else stage,
        goal=state.plan.goal,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def new_guest() -> NewIdentity:
    """A fresh guest identity and its cookie token."""
    return NewIdentity(Identity(new_id(), GUEST, utcnow()), new_token())


async def _load(request: Request, owner: str, walk_id: str) -> WalkRow:
    row = await walk_store(request.app).get(owner, walk_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def _engine_of(catalog: CatalogDep, row: WalkRow) -> FrameworkEngine:
    engine = catalog.frameworks.get(row.framework)
    if engine is None:
        raise Conflict(
            f"This walkthrough's framework '{row.framework}' is no longer offered by this server; "
            "you can still read, export and delete it."
        )
    return engine


async def _step(
    request: Request,
    catalog: CatalogDep,
    owner: str,
    walk_id: str,
    step: Callable[[FrameworkEngine, WalkState], tuple[WalkState, Prompt, str | None]],
) -> Walkthrough:
    """Run one move of the guide; the engine's refusals are 409 with its sentence.

    The move is computed on the row as read; the writer stores that result if the row is still
    the same, else computes it again on the row it has locked, so no concurrent change is lost.
    """
    row = await _load(request, owner, walk_id)
    engine = _engine_of(catalog, row)

    def apply(current: WalkRow) -> WalkRow:
        state = WalkState.model_validate_json(current.state)
        try:
            new_state, prompt, said = step(engine, state)
        except ValueError as exc:
            raise Conflict(str(exc)) from None
        return _with(current, new_state, prompt, said)

    first = apply(row)

    def change(current: WalkRow) -> WalkRow:
        same = (current.state, current.prompt, current.messages) == (
            row.state,
            row.prompt,
            row.messages,
        )
        return first if same else apply(current)

    changed = await walk_store(request.app).change(owner, walk_id, change)
    if changed is None:
        raise NotFound(NOT_FOUND)
    return view(changed, engine)


def _move(move: Move) -> Callable[[FrameworkEngine, WalkState], tuple[WalkState, Prompt, None]]:
    def run(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt, None]:
        new_state, prompt = move(engine, state)
        return new_state, prompt, None

    return run


# -- routes -----------------------------------------------------------------------------------


@router.post("", status_code=201, responses=WRITE_ERRORS)
async def create_walkthrough(
    payload: WalkthroughCreate,
    request: Request,
    response: Response,
    identity: IdentityDep,
    catalog: CatalogDep,
) -> Walkthrough:
    """Start a walkthrough of a framework; a visitor without an identity gets a guest one."""
    engine = _engine(catalog, payload.framework)
    state, prompt = guide.start(engine)
    guest = new_guest() if identity is None else None
    owner = identity.id if identity is not None else guest.identity.id  # type: ignore[union-attr]
    now = utcnow()
    blank = WalkRow(new_id(), owner, engine.id, state.status, "", "", "[]", now, now)
    row = _with(blank, state, prompt)
    await walk_store(request.app).create(row, guest)
    if guest is not None:
        set_identity_cookie(request, response, guest)
    return view(row, engine)


@router.get("")
async def list_walkthroughs(
    request: Request, identity: IdentityDep, catalog: CatalogDep
) -> list[WalkthroughSummary]:
    """My walkthroughs, most recently active first."""
    if identity is None:
        return []
    rows = await walk_store(request.app).list(identity.id)
    return [summary(row, catalog.frameworks.get(row.framework)) for row in rows]


@router.get("/{walk_id}", responses=READ_ERRORS)
async def read_walkthrough(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Walkthrough:
    """One of my walkthroughs, with the conversation and the plan so far."""
    row = await _load(request, _owner(identity, walk_id), walk_id)
    return view(row, catalog.frameworks.get(row.framework))


@router.post("/{walk_id}/answers", responses=WRITE_ERRORS)
async def post_answer(
    walk_id: str,
    payload: AnswerCreate,
    request: Request,
    identity: IdentityDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Walkthrough:
    """Answer the guide's question. The risk check runs first: on a hit the walkthrough pauses
    with the support card and the text is not stored."""
    owner = _owner(identity, walk_id)
    if len(payload.text) > settings.max_turn_chars:
        raise Invalid(f"text is too long: write at most {settings.max_turn_chars} characters.")
    text = payload.text
    flagged = check_risk(text).flagged
    today = date.today()

    def step(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt, str | None]:
        if state.status != "active":
            raise ValueError(f"This walkthrough is {state.status}; resume it first.")
        if flagged:
            new_state, prompt = guide.pause_for_support(engine, state)
            return new_state, prompt, None
        new_state, prompt = guide.answer(engine, state, text, today)
        return new_state, prompt, text

    return await _step(request, catalog, owner, walk_id, step)


@router.post("/{walk_id}/back", responses=WRITE_ERRORS)
async def go_back(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Walkthrough:
    """Go back to the previous stage."""
    return await _step(request, catalog, _owner(identity, walk_id), walk_id, _move(guide.back))


@router.post("/{walk_id}/skip", responses=WRITE_ERRORS)
async def skip_stage(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Walkthrough:
    """Skip the rest of this stage."""
    return await _step(request, catalog, _owner(identity, walk_id), walk_id, _move(guide.skip))


@router.post("/{walk_id}/pause", responses=WRITE_ERRORS)
async def pause_walkthrough(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Walkthrough:
    """Pause; everything so far is kept for later."""
    return await _step(request, catalog, _owner(identity, walk_id), walk_id, _move(guide.pause))


@router.post("/{walk_id}/resume", responses=WRITE_ERRORS)
async def resume_walkthrough(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Walkthrough:
    """Carry on after a pause or after the support card."""
    return await _step(request, catalog, _owner(identity, walk_id), walk_id, _move(guide.resume))


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        content=body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/{walk_id}/plan.md",
    responses={**READ_ERRORS, 200: {"content": {"text/markdown": {}}}},
    response_class=Response,
)
async def plan_markdown(
    walk_id: str, request: Request, identity: IdentityDep, catalog: CatalogDep
) -> Response:
    """The plan as Markdown, downloaded as plan.md."""
    row = await _load(request, _owner(identity, walk_id), walk_id)
    state = WalkState.model_validate_json(row.state)
    engine = catalog.frameworks.get(row.framework)
    name = engine.spec.name if engine else row.framework
    markdown = to_markdown(state.plan, name, row.created_at.date())
    return _download(markdown, "text/markdown; charset=utf-8", "plan.md")


@router.get(
    "/{walk_id}/plan.ics",
    responses={**READ_ERRORS, 200: {"content": {"text/calendar": {}}}},
    response_class=Response,
)
async def plan_calendar(walk_id: str, request: Request, identity: IdentityDep) -> Response:
    """A calendar reminder for the first dated step, downloaded as plan.ics."""
    row = await _load(request, _owner(identity, walk_id), walk_id)
    state = WalkState.model_validate_json(row.state)
    ics = to_ics(state.plan, row.id)
    if ics is None:
        raise NotFound(NO_DATE)
    return _download(ics, "text/calendar; charset=utf-8", "plan.ics")


@router.get("/{walk_id}/export", responses=READ_ERRORS)
async def export_walkthrough(
    walk_id: str, request: Request, response: Response, identity: IdentityDep, catalog: CatalogDep
) -> WalkthroughExport:
    """Everything stored about the walkthrough, as JSON."""
    row = await _load(request, _owner(identity, walk_id), walk_id)
    engine = catalog.frameworks.get(row.framework)
    state = WalkState.model_validate_json(row.state)
    name = engine.spec.name if engine else row.framework
    response.headers["Content-Disposition"] = 'attachment; filename="walkthrough.json"'
    return WalkthroughExport(
        walkthrough=view(row, engine),
        answers=[
            AnswerRecord(stage=a.stage, question=a.question, text=a.text) for a in state.answers
        ],
        markdown=to_markdown(state.plan, name, row.created_at.date()),
        exported_at=utcnow(),
    )


@router.delete("/{walk_id}", status_code=204, responses=WRITE_ERRORS, response_class=Response)
async def delete_walkthrough(walk_id: str, request: Request, identity: IdentityDep) -> Response:
    """Delete the walkthrough: the row is removed from the database."""
    owner = _owner(identity, walk_id)
    if not await walk_store(request.app).delete(owner, walk_id):
        raise NotFound(NOT_FOUND)
    return Response(status_code=204)


# -- retention ------------------------------------------------------------------------------------


async def purge_expired(app: FastAPI, days: int, now: datetime | None = None) -> int:
    """Delete walkthroughs not updated for `days` days (0 keeps everything); returns how many."""
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    return await walk_store(app).purge(cutoff)


async def _retention_loop(app: FastAPI, days: int, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            gone = await purge_expired(app, days)
        except Exception:  # keep the loop alive: the next hour tries again
            log.exception("walkthrough retention purge failed")
            continue
        if gone:
            log.info("retention: deleted %d walkthrough(s)", gone)


async def start_retention(
    app: FastAPI, interval: float = RETENTION_INTERVAL
) -> asyncio.Task[None] | None:
    """Purge once now, then hourly in a background task (None when retention is off)."""
    days: int = app.state.settings.walkthrough_retention_days
    if days <= 0:
        return None
    await purge_expired(app, days)
    return asyncio.create_task(_retention_loop(app, days, interval), name="walkthrough-retention")


async def stop_retention(task: asyncio.Task[None] | None) -> None:
    """Stop the retention task (at shutdown)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
