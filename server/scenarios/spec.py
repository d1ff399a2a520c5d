"""The scenario file format: a simulated mentee, strict (a typo in a file is an error at load time).

Field reference: `scenarios/README.md`. JSON Schema: `scenarios/schema.json` (generated from these
models by `empowerer scenarios schema`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=60)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]
Topic = Annotated[str, StringConstraints(min_length=2, max_length=60, strip_whitespace=True)]
Lines = Annotated[list[Line], Field(min_length=1)]


class Category(StrEnum):
    """What mentees bring: Table 3 of the source study, most frequent first."""

    CAREER_DEVELOPMENT = "career_development"
    WORK_LIFE_BALANCE = "work_life_balance"
    ASSESSMENTS_EXAMS = "assessments_exams"
    COLLEAGUE_RELATIONSHIPS = "colleague_relationships"
    CAREER_CHOICE = "career_choice"
    WORKLOAD = "workload"
    STRESS = "stress"
    TAKING_OPPORTUNITY = "taking_opportunity"
    MORALE = "morale"
    DEVELOPING_TEAMS = "developing_teams"
    MANAGING_CHANGE = "managing_change"
    MANAGING_CRISIS = "managing_crisis"
    ENGAGEMENT = "engagement"
    SELF_CONFIDENCE = "self_confidence"
    CLINICAL_SITUATIONS = "clinical_situations"
    WORK_AFTER_ILLNESS = "work_after_illness"
    DEALING_WITH_ILLNESS = "dealing_with_illness"
    PERSONAL_RELATIONSHIPS = "personal_relationships"
    BULLYING_HARASSMENT = "bullying_harassment"
    RETURN_TO_WORK = "return_to_work"
    MENTAL_HEALTH = "mental_health"
    SUICIDAL_IDEATION = "suicidal_ideation"
    PHYSICAL_HEALTH = "physical_health"
    DEALING_WITH_INJURY = "dealing_with_injury"


class Workwell(StrEnum):
    """Business in the Community Workwell components (Table 2 of the source study)."""

    BETTER_WORK = "better_work"
    BETTER_RELATIONSHIPS = "better_relationships"
    BETTER_SPECIALIST_SUPPORT = "better_specialist_support"
    BETTER_HEALTH = "better_health"


class Profession(StrEnum):
    DOCTOR = "doctor"
    NURSE = "nurse"
    MIDWIFE = "midwife"
    PARAMEDIC = "paramedic"
    PHYSIOTHERAPIST = "physiotherapist"
    MEDICAL_STUDENT = "medical_student"
    PHARMACIST = "pharmacist"
    OCCUPATIONAL_THERAPIST = "occupational_therapist"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Persona(_Strict):
    """Who the mentee is; `card` is what the trainee reads before starting."""

    name: Line
    pronouns: Line = "they/them"
    age: int = Field(ge=18, le=80)
    role: Line = Field(description="e.g. 'ST4 registrar in general surgery', 'Band 6 staff nurse'")
    profession: Profession
    specialty: Line
    career_stage: Line = Field(
        description="e.g. FY2, ST4, consultant, GP partner, third-year student"
    )
    workplace: Line | None = None
    card: Line = Field(description="Two or three sentences the trainee sees before starting.")
    voice: Line = Field(description="How they talk: register, habits, for the phrasing layer.")


class Tags(_Strict):
    category: Category
    workwell: Workwell
    extra: list[Topic] = Field(default_factory=list)


class Difficulty(_Strict):
    level: int = Field(ge=1, le=3, description="1 open, 2 guarded, 3 very guarded")
    trust: float = Field(ge=0, le=1, description="Starting trust")
    guarded: float = Field(ge=0, le=1, description="How much trust each deeper layer needs")


class Unit(_Strict):
    """A piece of the mentee's story, disclosed when the mentor earns it."""

    id: Id
    topics: list[Topic] = Field(
        min_length=1, description="Words that, asked about, reach this unit."
    )
    lines: list[Line] = Field(min_length=2, description="Several phrasings of the disclosure.")
    opened_by: Line = Field(
        description="The move that opens it, for the report ('an open question about home')."
    )


class Layers(_Strict):
    surface: list[Unit] = Field(min_length=1)
    deeper: list[Unit] = Field(min_length=1)
    core: list[Unit] = Field(min_length=1)


class Feeling(_Strict):
    name: Topic
    lines: Lines


class Goal(_Strict):
    """Something the mentee wants, voiced in the goal / preferred-picture stage."""

    id: Id
    lines: list[Line] = Field(min_length=2)


class Option(_Strict):
    """An option the mentee can find for themselves when asked."""

    id: Id
    topics: list[Topic] = Field(min_length=1)
    lines: list[Line] = Field(min_length=2)


class Commitment(_Strict):
    """The specific, dated step they commit to when asked well."""

    step: Line
    when: Line = Field(
        description="A date or day: 'by Friday', 'on Monday 3rd', 'before my next shift'"
    )
    lines: list[Line] = Field(min_length=2)
    confidence: int = Field(ge=0, le=10)


class Bait(_Strict):
    """A line asking the mentor for advice, at a set point."""

    after_turn: int = Field(ge=1, description="Mentor turn after which it comes")
    lines: Lines


class RiskCue(_Strict):
    """A sign of risk to the mentee that the mentor must notice, explore and signpost."""

    id: Id
    level: str = Field(pattern="^(possible|high)$")
    after_turn: int = Field(ge=1, description="Earliest mentor turn after which it may show")
    lines: Lines
    explored_lines: Lines = Field(description="What they say when the mentor gently asks about it.")


class Signposting(_Strict):
    """Where specialist support is the right move, and how the mentee takes it."""

    needed: bool = Field(description="True where mentoring alone is not enough")
    to: list[Line] = Field(default_factory=list, description="GP, occupational health, ...")
    accept_lines: Lines
    reject_lines: list[Line] = Field(default_factory=list)


class ScenarioSpec(_Strict):
    """One simulated mentee, as written in `scenarios/<id>.yaml`."""

    id: Id
    title: Line
    summary: Line = Field(description="One line for the scenario list")
    persona: Persona
    presenting_issue: Line
    opening: Lines = Field(description="The opening line(s); one is picked by the seed")
    tags: Tags
    difficulty: Difficulty
    layers: Layers
    feelings: list[Feeling] = Field(min_length=1)
    goals: list[Goal] = Field(min_length=1)
    options: list[Option] = Field(min_length=2)
    commitment: Commitment
    yes_but: list[Line] = Field(min_length=3, description="Answers to advice")
    compliance: list[Line] = Field(min_length=2, description="Agreeing without committing")
    withdrawal: list[Line] = Field(min_length=2, description="Closing down")
    short_answers: list[Line] = Field(min_length=3, description="Brief answers to closed questions")
    corrections: list[Line] = Field(min_length=2, description="Correcting a reflection that misses")
    bait: list[Bait] = Field(default_factory=list)
    risk_cues: list[RiskCue] = Field(default_factory=list)
    signposting: Signposting
