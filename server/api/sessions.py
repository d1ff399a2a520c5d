"""Practice sessions: start one, take turns, move stages explicitly, end, read the report."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.exceptions import HTTPException

from server.api.deps import ServiceDep
from server.api.errors import READ_ERRORS, WRITE_ERRORS
from server.api.identity import IdentityDep, get_identity, set_identity_cookie
from server.api.refusals import declare
from server.arrival import ARRIVED
from server.config import Settings
from server.service.errors import SESSION_NOT_FOUND, Invalid, NotFound
from server.service.sessions import SessionService, with_support
from server.service.views import (
    CommentPublic,
    SessionPublic,
    SessionSummary,
    StageMoved,
    TurnResult,
    to_json,
)
from server.store import Identity

router = APIRouter(prefix="/sessions", tags=["sessions"])

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
MAX_SEED = 2**31 - 1
HARD_TEXT_CAP = (
    4000  # declared in the schema; the settings cap (default 2000) applies after trimming
)


def check_text(value: str, what: str) -> str:
    """Refuse NUL bytes and lone surrogates (they cannot be stored as UTF-8 text)."""
    if "\x00" in value:
        raise ValueError(f"{what} contains a NUL character: remove it")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} contains a lone surrogate (broken UTF-16): remove it") from None
    return value


class SessionCreate(BaseModel):
    """A new session: which mentee, which framework, and optionally the seed of the mentee; or
    an assignment of one of my cohorts (which then sets the scenario, framework and exam mode)."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = Field(
        default=None, min_length=1, max_length=100, description="A scenario id"
    )
    framework: str | None = Field(
        default=None, min_length=1, max_length=100, description="A framework id"
    )
    seed: int = Field(default=0, ge=0, le=MAX_SEED, description="A whole number, 0..2^31-1")
    assignment: str | None = Field(
        default=None, min_length=1, max_length=64, description="An assignment id"
    )

    @field_validator("seed", mode="before")
    @classmethod
    def _number(cls, value: object) -> object:
        if isinstance(value, bool | str):
            raise ValueError("seed must be a JSON number: a whole number from 0 to 2^31-1")
        return value

    @field_validator("scenario", "framework", "assignment")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "the id")

    @model_validator(mode="after")
    def _what(self) -> SessionCreate:
        if self.assignment is None and (self.scenario is None or self.framework is None):
            raise ValueError("send a scenario and a framework, or an assignment")
        return self


class TurnCreate(BaseModel):
    """What the mentor says."""

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
            raise ValueError("text is empty: say something")
        return value


class StageMove(BaseModel):
    """An explicit move to a stage of the session's framework."""

    model_config = ConfigDict(extra="forbid")

    to: str = Field(min_length=1, max_length=100, description="A stage id of the framework")

    @field_validator("to")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "to")


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A retry with the same key returns the first answer and stores nothing new.",
    ),
]


PUBLISHED_SCENARIO = r"^p-[0-9a-f]{32}$"


def declare_choices(fields: dict[str, Any], scenarios: list[str], frameworks: list[str]) -> None:
    """Put the known ids into SessionCreate's schema: a built-in scenario id or a published one
    (`p-` + 32 hex digits), a framework id, or null when an assignment names them."""
    fields["scenario"]["anyOf"] = [
        {"type": "string", "enum": scenarios},
        {"type": "string", "pattern": PUBLISHED_SCENARIO},
        {"type": "null"},
    ]
    fields["framework"]["anyOf"] = [{"type": "string", "enum": frameworks}, {"type": "null"}]


def session_id_or_404(session_id: str) -> str:
    """Malformed ids are simply not found (no database lookup)."""
    if not SESSION_ID.match(session_id):
        raise NotFound(SESSION_NOT_FOUND)
    return session_id


def json_response(body: str, status_code: int = 200) -> Response:
    """A pre-serialised JSON answer (the service builds it; a retried turn gets the same bytes)."""
    return Response(content=body, status_code=status_code, media_type="application/json")


# The routes every practice session uses (create, turns, report, end) are written as functions of
# the request and their parsed input, taking the identity and the service from the request and the
# app: FastAPI's routes call them, and so does `server.api.lane` for well-formed requests.


async def caller(request: Request) -> tuple[Identity | None, SessionService]:
    """Who is asking, and the app's session service (no dependencies for FastAPI to resolve)."""
    service: SessionService = request.app.state.service
    return await get_identity(request), service


@router.post("", status_code=201, response_model=SessionPublic, responses=WRITE_ERRORS)
async def create_session(payload: SessionCreate, request: Request) -> Response:
    """Start a session; a visitor without an identity gets a private guest identity (cookie)."""
    identity, service = await caller(request)
    session, guest = await service.create(
        identity, payload.scenario, payload.framework, payload.seed, payload.assignment
    )
    response = json_response(session, status_code=201)
    if guest is not None:
        set_identity_cookie(request, response, guest)
    return response


@router.get("")
async def list_sessions(identity: IdentityDep, service: ServiceDep) -> list[SessionSummary]:
    """My sessions, most recently active first."""
    return await service.list_sessions(identity)


@router.get("/{session_id}", response_model=SessionPublic, responses=READ_ERRORS)
async def read_session(session_id: str, identity: IdentityDep, service: ServiceDep) -> Response:
    """One of my sessions, with every turn and its comments; a facilitator of the session's
    cohort reads it too (read only)."""
    return json_response(await service.read(identity, session_id_or_404(session_id)))


async def create_turn(
    session_id: str,
    payload: TurnCreate,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Say something as the mentor; the mentee replies. One turn at a time per session (else 409)."""
    # The hottest route: the identity, service and settings come straight from the request and
    # the app (no dependencies for FastAPI to resolve per request).
    identity, service = await caller(request)
    settings: Settings = request.app.state.settings
    if len(payload.text) > settings.max_turn_chars:
        raise Invalid(f"text is too long: say it in at most {settings.max_turn_chars} characters.")
    sid = session_id_or_404(session_id)
    arrived = request.scope.get(ARRIVED)
    if arrived is None:  # not stamped by the server (see server.arrival)
        arrived = time.monotonic()
        await asyncio.sleep(0)  # requests that came in together are all stamped first
    body = await service.take_turn(identity, sid, payload.text, idempotency_key, arrived)
    response = json_response(with_support(body, payload.text))
    # The time in this server since the request arrived (W3C Server-Timing: devtools show it;
    # benchmarks/load.py reports it beside the latency its client saw).
    elapsed = (time.monotonic() - arrived) * 1000
    response.headers["server-timing"] = f"app;dur={elapsed:.1f}"
    return response


PLAIN_KEY = re.compile(r"[\x21-\x7e]{1,200}")


def plain_key(value: str | None) -> bool:
    """An Idempotency-Key the declared header accepts for sure (absent, or 1..200 of
    `[\x21-\x7e]`)."""
    return value is None or PLAIN_KEY.fullmatch(value) is not None


Body = TypeVar("Body", bound=BaseModel)


async def plain_body(request: Request, model: type[Body]) -> Body | None:
    """The body of a well-formed request (JSON that `model` accepts), or None for anything
    FastAPI's own handler should answer (its errors are the contract): another content type, a
    body that is not JSON, nested too deep or refused by the model, a client gone mid-body."""
    if request.headers.get("content-type") != "application/json":
        return None
    try:
        data = await request.json()  # cached on the request, as FastAPI's handler reads it
        return model.model_validate(data)
    except HTTPException:
        raise  # the body cap (413), as FastAPI's handler lets it through
    except Exception:
        return None


async def plain_turn(request: Request) -> TurnCreate | None:
    """The turn of a well-formed request (`plain_body`, with a plain key), or None."""
    if not plain_key(request.headers.get("idempotency-key")):
        return None
    return await plain_body(request, TurnCreate)


router.add_api_route(
    "/{session_id}/turns",
    create_turn,
    methods=["POST"],
    response_model=TurnResult,
    responses=WRITE_ERRORS,
)


@router.post("/{session_id}/stage", responses=WRITE_ERRORS)
async def move_stage(
    session_id: str, payload: StageMove, identity: IdentityDep, service: ServiceDep
) -> StageMoved:
    """Move to a stage explicitly; the framework's guards apply and a refusal (409) says why."""
    return await service.move(identity, session_id_or_404(session_id), payload.to)


@router.post("/{session_id}/end", response_model=SessionPublic, responses=WRITE_ERRORS)
async def end_session(session_id: str, request: Request) -> Response:
    """End the session: no more turns; its score and band are kept."""
    identity, service = await caller(request)
    return json_response(await service.finish(identity, session_id_or_404(session_id)))


@router.get("/{session_id}/report", response_model=dict[str, Any], responses=declare(404, 409))
async def read_report(session_id: str, request: Request) -> Response:
    """The report: the session so far, or the final one once it has ended."""
    identity, service = await caller(request)
    data = await service.report(identity, session_id_or_404(session_id))
    # Serialised here, without FastAPI's walk over the (large) dict.
    return json_response(to_json(data))


class ShareWith(BaseModel):
    """A cohort I am in."""

    model_config = ConfigDict(extra="forbid")

    cohort: str = Field(min_length=1, max_length=64)

    @field_validator("cohort")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "cohort")


class CodeGiven(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    detail: str | None = Field(default=None, max_length=100)

    @field_validator("code", "detail")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, "code")


class Correction(BaseModel):
    """A facilitator's codes for a mentor turn; `primary` must be one of them."""

    model_config = ConfigDict(extra="forbid")

    codes: list[CodeGiven] = Field(min_length=1, max_length=11)
    primary: str = Field(min_length=1, max_length=40)

    @field_validator("primary")
    @classmethod
    def _clean(cls, value: str) -> str:
        return check_text(value, "primary")


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=HARD_TEXT_CAP)

    @field_validator("text")
    @classmethod
    def _clean(cls, value: str) -> str:
        value = check_text(value, "text").strip()
        if not value:
            raise ValueError("text is empty: write the comment")
        return value


TurnIndex = Annotated[int, Path(ge=0, le=10_000)]


@router.post(
    "/{session_id}/share", response_model=SessionPublic, responses=declare(404, write=True)
)
async def share_session(
    session_id: str, payload: ShareWith, identity: IdentityDep, service: ServiceDep
) -> Response:
    """Share one of my sessions with a cohort I am in: its facilitators may then read it."""
    return json_response(
        await service.share(identity, session_id_or_404(session_id), payload.cohort)
    )


@router.delete("/{session_id}/share", status_code=204, responses=declare(404, write=True))
async def unshare_session(
    session_id: str,
    identity: IdentityDep,
    service: ServiceDep,
    cohort: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Stop sharing with `?cohort=ID`, or with every cohort."""
    await service.unshare(identity, session_id_or_404(session_id), cohort)
    return Response(status_code=204)


@router.put("/{session_id}/turns/{index}/correction", responses=declare(401, 404, 409, write=True))
async def correct_turn(
    session_id: str,
    index: TurnIndex,
    payload: Correction,
    identity: IdentityDep,
    service: ServiceDep,
) -> dict[str, Any]:
    """A facilitator's codes for a mentor turn (the coder's are kept); returns the recomputed
    report."""
    codes = [(c.code, c.detail) for c in payload.codes]
    sid = session_id_or_404(session_id)
    return await service.correct(identity, sid, index, codes, payload.primary)


@router.delete(
    "/{session_id}/turns/{index}/correction", responses=declare(401, 404, 409, write=True)
)
async def remove_correction(
    session_id: str, index: TurnIndex, identity: IdentityDep, service: ServiceDep
) -> dict[str, Any]:
    """Remove a facilitator's correction; returns the recomputed report."""
    return await service.correct(identity, session_id_or_404(session_id), index, [], None)


@router.post(
    "/{session_id}/turns/{index}/comments",
    status_code=201,
    responses=declare(401, 404, write=True),
)
async def comment_turn(
    session_id: str,
    index: TurnIndex,
    payload: CommentCreate,
    identity: IdentityDep,
    service: ServiceDep,
) -> CommentPublic:
    """A facilitator's comment on a turn: the trainee sees it with the session and the report."""
    return await service.comment(identity, session_id_or_404(session_id), index, payload.text)
