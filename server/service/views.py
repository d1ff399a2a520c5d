"""The public shapes of scenarios, sessions and turns (docs/API.md), built from stored data.

Pure pydantic: the service builds these and stores a turn's answer as JSON for idempotent retries;
the API layer declares them as response models.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

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


def codes_public(coding: CodedTurn | None) -> list[CodePublic]:
    """The codes of a coded turn, in the API's shape."""
    if coding is None:
        return []
    return [
        CodePublic(code=h.code.value, detail=h.detail, span=h.span, evidence=h.evidence)
        for h in coding.codes
    ]


def coding_public(coding: CodedTurn | None) -> CodingPublic | None:
    """One side of a turn's codes, or None."""
    if coding is None:
        return None
    return CodingPublic(primary=coding.primary.value, codes=codes_public(coding))


def turn_public(
    turn: Turn,
    engine: FrameworkEngine,
    comment: str | None = None,
    *,
    comments: Sequence[CommentPublic] = (),
    hide_codes: bool = False,
) -> TurnPublic:
    """A transcript turn in the API's shape (the facilitator's codes win where they corrected)."""
    title = engine.title(turn.stage) if turn.stage else None
    view: dict[str, Any] = {}
    if turn.speaker == "mentor" and not hide_codes:
        coding = turn.effective_coding()
        view = {
            "codes": codes_public(coding),
            "primary": coding.primary.value if coding else None,
            "suggestion": coding.suggestion if coding else None,
            "coder": coding_public(turn.coding),
            "correction": coding_public(turn.correction),
        }
    elif turn.speaker == "mentor":
        view = {"codes": []}
    return TurnPublic(
        index=turn.index,
        speaker=turn.speaker,
        text=turn.text,
        stage=turn.stage,
        stage_title=title,
        comment=comment,
        comments=list(comments),
        **view,
    )
