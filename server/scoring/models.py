"""The session report as data: pydantic models; `report.model_dump(mode="json")` is the JSON."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Who = Literal["mentee", "mentor"]


class Band(StrEnum):
    """How a metric (or the whole session) compares with its thresholds."""

    NEEDS_PRACTICE = "needs_practice"
    FAIR = "fair"
    GOOD = "good"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metric(_Model):
    """One number with its band, its thresholds and where the thresholds come from."""

    label: str
    value: float | None = Field(description="None when it cannot be computed (e.g. no questions).")
    band: Band | None
    fair: float = Field(description="The threshold for 'fair'.")
    good: float = Field(description="The threshold for 'good'.")
    higher_is_better: bool
    unit: Literal["ratio", "percent", "count", "yes/no"]
    source: str


class Component(_Model):
    """One part of the overall score: points 0-100 and its weight in the mean."""

    metric: str
    points: float
    weight: float


class Overall(_Model):
    score: int = Field(ge=0, le=100)
    band: Band
    components: list[Component]
    cap: str | None = Field(default=None, description="Why the score was capped, if it was.")


class AdviceCounts(_Model):
    total: int = Field(description="Mentor turns carrying advice.")
    premature: int | None = Field(
        description="Advice before the framework's first action stage; None without a framework."
    )
    with_permission: int = Field(description="Advice the mentor asked permission for first.")
    permission_asked: int = Field(description="Turns asking permission before offering an idea.")


class MicroSkills(_Model):
    """Counts over the mentor's turns; each code counts at most once per turn."""

    mentor_turns: int
    coded_turns: int
    substantive_turns: int = Field(description="Coded turns with a code other than 'other'.")
    counts: dict[str, int] = Field(description="Mentor turns carrying each code.")
    questions: int
    open_questions: int
    closed_questions: int
    stacked_questions: int = Field(description="Turns with two or more questions.")
    reflections: int = Field(description="Turns with a reflection or a summary (MITI counts both).")
    complex_reflections: int = Field(description="Of those, complex reflections and summaries.")
    summaries: int
    affirmations: int
    advice: AdviceCounts
    roadblocks: int
    directive_turns: int = Field(
        description="Turns with advice given without permission or a roadblock."
    )
    signposting: int
    mentor_words: int
    mentee_words: int


class StageSpan(_Model):
    stage: str
    title: str
    via: str
    from_turn: int
    to_turn: int | None = Field(description="The last turn in the stage; None if no turn yet.")
    mentor_turns: int


class Refusal(_Model):
    turn: int
    source: str
    dest: str
    guard: str | None
    reason: str


class StageChange(_Model):
    turn: int
    dest: str
    via: str
    summarised: bool


class FrameworkReport(_Model):
    framework: str
    name: str
    timeline: list[StageSpan]
    skipped: list[str]
    refused: list[Refusal]
    reached_final: bool
    final_stage: str
    first_action_stage: str | None
    changes: list[StageChange]


class UnitStatus(_Model):
    id: str
    layer: Literal["surface", "deeper", "core"]
    uncovered: bool
    turn: int | None = Field(description="The mentee turn that disclosed it.")
    opened_by: str | None = Field(
        description="For a missed unit: the move that would have opened it."
    )


class OptionStatus(_Model):
    id: str
    proposed_by: Who | None
    turn: int | None


class ChosenAction(_Model):
    option: str | None
    by: Who | None
    turn: int | None


class Commitment(_Model):
    reached: bool
    turn: int | None
    step: str
    when: str


class RiskStatus(_Model):
    id: str
    level: str
    turn: int = Field(description="The mentee turn that showed the cue.")
    status: Literal["signposted", "explored", "missed"]
    answered_turn: int | None


class TrustPoint(_Model):
    turn: int
    trust: float


class OutcomeReport(_Model):
    scenario: str
    ledger: list[UnitStatus]
    deepest_layer: int = Field(ge=0, le=3)
    options: list[OptionStatus]
    chosen_action: ChosenAction
    commitment: Commitment
    risk: list[RiskStatus]
    trust: list[TrustPoint]
    trust_source: Literal["mentee", "estimated"] | None


class Feedback(_Model):
    """One piece of feedback, pointing at the turn it is about."""

    kind: Literal["safety", "improve", "strength"]
    title: str
    detail: str
    turn: int | None
    said: str | None
    could_say: str | None


class Report(_Model):
    """The session report."""

    overall: Overall
    metrics: dict[str, Metric]
    micro: MicroSkills
    framework: FrameworkReport | None
    outcome: OutcomeReport | None
    feedback: list[Feedback]
    turns: int
