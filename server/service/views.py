"""The public shapes of scenarios, sessions and turns (docs/API.md), built from stored data.

The pydantic models are the shapes of record: the API declares them as response models, so the
OpenAPI schema documents them. The answers that every session sends (a turn's answer, a session
with its whole transcript) are built as JSON-ready data straight from the stored turns
(`turn_data`, `turn_result_data`, `session_data`) and serialised once by pydantic's serialiser
(`to_json`), instead of validating a model per turn and per code only to serialise it again.
tests/service/test_views.py holds each of them to its model: the same text, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import pydantic_core
from pydantic import BaseModel, Field, TypeAdapter

from server.coding.labels import CodedTurn
from server.frameworks import FrameworkEngine
from server.scenarios.spec import ScenarioSpec
from server.transcript import Turn


class PersonaPublic(BaseModel):
    """Who the simulated mentee is: what the trainee reads before starting."""

    name: str
    pronouns: str
    age: int
    role: str
    profession: str
    specialty: str
    career_stage: str
    workplace: str | None
    card: str


class TagsPublic(BaseModel):
    category: str
    workwell: str
    extra: list[str]


class DifficultyPublic(BaseModel):
    level: int
    trust: float
    guarded: float


class ScenarioCard(BaseModel):
    """A scenario as the trainee sees it (never the hidden layers)."""

    id: str
    title: str
    summary: str
    persona: PersonaPublic
    presenting_issue: str
    tags: TagsPublic
    difficulty: DifficultyPublic
    has_risk: bool


class FrameworkRef(BaseModel):
    id: str
    name: str


class StageRef(BaseModel):
    id: str
    title: str
    parent_title: str | None


class CodePublic(BaseModel):
    """One code on a mentor turn, with the span of the text that triggered it."""

    code: str
    detail: str | None
    span: tuple[int, int]
    evidence: str


class User(BaseModel):
    """An account as others see it (never the password nor its hash); a guest has no email."""

    id: str
    email: str | None
    name: str | None
    role: Literal["guest", "trainee", "facilitator", "admin"]


class CodingPublic(BaseModel):
    """One side of a mentor turn's codes: the coder's, or a facilitator's correction."""

    primary: str
    codes: list[CodePublic]


class CommentPublic(BaseModel):
    """A facilitator's comment on a turn (the trainee sees it)."""

    id: str
    turn: int
    author: User
    text: str
    created_at: datetime


class TurnPublic(BaseModel):
    """One turn of the transcript; codes, primary and suggestion on mentor turns only.

    `codes`/`primary` are the effective codes (a facilitator's correction wins); `coder` and
    `correction` keep both sides. In exam mode they are all left out until the session ends."""

    index: int
    speaker: Literal["mentor", "mentee"]
    text: str
    stage: str | None
    stage_title: str | None
    codes: list[CodePublic] | None = None
    primary: str | None = None
    suggestion: str | None = None
    comment: str | None = None
    coder: CodingPublic | None = None
    correction: CodingPublic | None = None
    comments: list[CommentPublic] = Field(default_factory=list)


class SessionPublic(BaseModel):
    """A practice session with its whole transcript."""

    id: str
    scenario: ScenarioCard
    framework: FrameworkRef
    persona: PersonaPublic
    opening: str
    stage: str
    stage_title: str
    stages: list[StageRef]
    turns: list[TurnPublic]
    ended: bool
    exam_mode: bool
    created_at: datetime
    updated_at: datetime
    score: int | None
    band: str | None
    assignment_id: str | None = None
    shared_with: list[str] = Field(
        default_factory=list, description="Cohorts this session is shared with (owner only)."
    )
    access: Literal["owner", "reviewer"] = Field(
        default="owner", description="reviewer: a facilitator of the session's cohort (read only)."
    )


class ScenarioRef(BaseModel):
    id: str
    title: str


class SessionSummary(BaseModel):
    """A session in the list of mine."""

    id: str
    scenario: ScenarioRef
    framework: FrameworkRef
    created_at: datetime
    updated_at: datetime
    ended: bool
    turns: int
    score: int | None
    band: str | None
    persona_name: str


class TurnResult(BaseModel):
    """The answer to a mentor turn: the mentee's reply and the coding of what the mentor said."""

    reply: str = Field(description="The mentee's words.")
    codes: list[CodePublic]
    primary: str | None
    suggestion: str | None
    stage: str
    stage_title: str
    nudge: str | None
    mentor_turn: TurnPublic
    mentee_turn: TurnPublic
    trust: float | None
    support: dict[str, Any] | None = Field(
        default=None,
        description="The support card, when what the trainee wrote speaks of their own distress.",
    )


class StageMoved(BaseModel):
    """An accepted explicit move."""

    accepted: Literal[True] = True
    stage: str
    stage_title: str
    kind: str | None


def scenario_card(spec: ScenarioSpec) -> ScenarioCard:
    """The public card of a scenario."""
    p = spec.persona
    persona = PersonaPublic(
        name=p.name,
        pronouns=p.pronouns,
        age=p.age,
        role=p.role,
        profession=p.profession.value,
        specialty=p.specialty,
        career_stage=p.career_stage,
        workplace=p.workplace,
        card=p.card,
    )
    tags = TagsPublic(
        category=spec.tags.category.value,
        workwell=spec.tags.workwell.value,
        extra=list(spec.tags.extra),
    )
    d = spec.difficulty
    return ScenarioCard(
        id=spec.id,
        title=spec.title,
        summary=spec.summary,
        persona=persona,
        presenting_issue=spec.presenting_issue,
        tags=tags,
        difficulty=DifficultyPublic(level=d.level, trust=d.trust, guarded=d.guarded),
        has_risk=bool(spec.risk_cues),
    )


def stage_refs(engine: FrameworkEngine) -> list[StageRef]:
    """Every stage of a framework, in order, with its title and its parent's."""
    titles = {stage.id: stage.title for stage in engine.spec.stages}
    refs = []
    for name in engine.stage_ids:
        parent = engine.parents[name]
        parent_title = titles[parent] if parent != name else None
        refs.append(StageRef(id=name, title=engine.steps[name].title, parent_title=parent_title))
    return refs


_DATETIME = TypeAdapter(datetime)


def to_json(data: Any) -> str:
    """JSON text as the API sends it: pydantic's own serialiser (compact, UTF-8; the same text a
    model gives, and several times faster than `json.dumps`)."""
    return pydantic_core.to_json(data).decode()


def datetime_data(value: datetime) -> str:
    """A datetime as pydantic writes it in JSON."""
    text: str = _DATETIME.dump_python(value, mode="json")
    return text


def codes_data(coding: CodedTurn | None) -> list[dict[str, Any]]:
    """The codes of a coded turn, in the API's shape (`CodePublic`)."""
    if coding is None:
        return []
    return [
        {"code": h.code.value, "detail": h.detail, "span": list(h.span), "evidence": h.evidence}
        for h in coding.codes
    ]


def coding_data(coding: CodedTurn | None) -> dict[str, Any] | None:
    """One side of a turn's codes (`CodingPublic`), or None."""
    if coding is None:
        return None
    return {"primary": coding.primary.value, "codes": codes_data(coding)}


def turn_data(
    turn: Turn,
    engine: FrameworkEngine,
    comment: str | None = None,
    *,
    comments: Sequence[dict[str, Any]] = (),
    hide_codes: bool = False,
) -> dict[str, Any]:
    """A transcript turn in the API's shape (`TurnPublic`; the facilitator's codes win where
    they corrected); `comments` as `CommentPublic` data."""
    data: dict[str, Any] = {
        "index": turn.index,
        "speaker": turn.speaker,
        "text": turn.text,
        "stage": turn.stage,
        "stage_title": engine.title(turn.stage) if turn.stage else None,
        "codes": None,
        "primary": None,
        "suggestion": None,
        "comment": comment,
        "coder": None,
        "correction": None,
        "comments": list(comments),
    }
    if turn.speaker == "mentor" and not hide_codes:
        coding = turn.effective_coding()
        data["codes"] = codes_data(coding)
        if coding is not None:
            data["primary"] = coding.primary.value
            data["suggestion"] = coding.suggestion
        data["coder"] = coding_data(turn.coding)
        data["correction"] = coding_data(turn.correction)
    elif turn.speaker == "mentor":
        data["codes"] = []
    return data


def turn_result_data(
    mentor: Turn,
    mentee: Turn,
    engine: FrameworkEngine,
    stage: str,
    nudge: str | None,
    *,
    exam: bool = False,
) -> dict[str, Any]:
    """The answer to a mentor turn (`TurnResult`), without the support card."""
    mentor_turn = turn_data(mentor, engine, hide_codes=exam)
    return {
        "reply": mentee.text,
        "codes": mentor_turn["codes"] or [],
        "primary": mentor_turn["primary"],
        "suggestion": mentor_turn["suggestion"],
        "stage": stage,
        "stage_title": engine.title(stage),
        "nudge": None if exam else nudge,
        "mentor_turn": mentor_turn,
        "mentee_turn": turn_data(mentee, engine),
        "trust": mentee.mentee.trust if mentee.mentee else None,
        "support": None,
    }


# A scenario's card and a framework's stages never change: their JSON data is made once each
# (keyed by the object; the object is kept, so its id is not reused).
_CARDS: dict[int, tuple[ScenarioSpec, dict[str, Any]]] = {}
_STAGES: dict[int, tuple[FrameworkEngine, list[dict[str, Any]]]] = {}


def card_data(spec: ScenarioSpec) -> dict[str, Any]:
    """`scenario_card(spec)` as JSON data (shared: read it, do not change it)."""
    found = _CARDS.get(id(spec))
    if found is None or found[0] is not spec:
        found = _CARDS[id(spec)] = (spec, scenario_card(spec).model_dump(mode="json"))
    return found[1]


def stages_data(engine: FrameworkEngine) -> list[dict[str, Any]]:
    """`stage_refs(engine)` as JSON data (shared: read it, do not change it)."""
    found = _STAGES.get(id(engine))
    if found is None or found[0] is not engine:
        refs = [ref.model_dump(mode="json") for ref in stage_refs(engine)]
        found = _STAGES[id(engine)] = (engine, refs)
    return found[1]


def session_data(
    *,
    session_id: str,
    spec: ScenarioSpec,
    engine: FrameworkEngine,
    stage: str,
    turns: list[dict[str, Any]],
    ended: bool,
    exam_mode: bool,
    created_at: datetime,
    updated_at: datetime,
    score: int | None,
    band: str | None,
    assignment_id: str | None,
    shared_with: Sequence[str],
    reviewer: bool,
) -> dict[str, Any]:
    """A session with its whole transcript (`SessionPublic`), `turns` as `turn_data`."""
    card = card_data(spec)
    return {
        "id": session_id,
        "scenario": card,
        "framework": {"id": engine.id, "name": engine.spec.name},
        "persona": card["persona"],
        "opening": next((t["text"] for t in turns if t["speaker"] == "mentee"), ""),
        "stage": stage,
        "stage_title": engine.title(stage),
        "stages": stages_data(engine),
        "turns": turns,
        "ended": ended,
        "exam_mode": exam_mode,
        "created_at": datetime_data(created_at),
        "updated_at": datetime_data(updated_at),
        "score": score,
        "band": band,
        "assignment_id": assignment_id,
        "shared_with": list(shared_with),
        "access": "reviewer" if reviewer else "owner",
    }
