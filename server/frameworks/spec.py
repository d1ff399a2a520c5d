"""The framework file format: strict pydantic models (a typo in a file is an error at load time)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

StageId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*$", max_length=40)]
StageRef = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(_[a-z][a-z0-9]*)?$", max_length=81)
]
FrameworkId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$", max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=600, strip_whitespace=True)]
NESTING_SEPARATOR = "_"


class Intent(StrEnum):
    """The stage vocabulary: the kind of move a mentor turn reaches for.

    Framework files map their stages onto these; the coder's cue lexicon recognises them.
    """

    CONTRACT = "contract"
    STORY = "story"
    FEELINGS = "feelings"
    PERSPECTIVE = "perspective"
    LEVERAGE = "leverage"
    GOAL = "goal"
    SCALING = "scaling"
    RESOURCES = "resources"
    OPTIONS = "options"
    CHOICE = "choice"
    PLAN = "plan"
    COMMITMENT = "commitment"
    SUPPORT = "support"
    REVIEW = "review"


class MoveKind(StrEnum):
    """How a transition relates the two stages."""

    FORWARD = "forward"
    BACK = "back"
    SKIP = "skip"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepSpec(_Strict):
    """A step inside a stage (Egan's 1a, 1b, ...): the same fields as a stage, without children."""

    id: StageId
    title: Text
    purpose: Text
    signals: list[Intent] = Field(min_length=1)
    moves: list[Text] = Field(min_length=1, description="Mentor moves that signal this stage.")
    questions: list[Text] = Field(min_length=4, max_length=8)
    pitfalls: list[Text] = Field(min_length=1)
    action: bool = Field(
        default=False,
        description="True where offering information or options (with permission) is in place.",
    )


class StageSpec(StepSpec):
    """A stage of the framework, optionally made of steps."""

    steps: list[StepSpec] = Field(default_factory=list)
    # A stage with steps gets its signals, moves and questions from them, but keeps its own purpose.
    signals: list[Intent] = Field(default_factory=list)
    moves: list[Text] = Field(default_factory=list)
    questions: list[Text] = Field(default_factory=list, max_length=8)
    pitfalls: list[Text] = Field(default_factory=list)


class TransitionSpec(_Strict):
    """A move the mentor may make between two stages, with the guards that must hold."""

    source: list[StageRef] = Field(alias="from", min_length=1)
    dest: StageRef = Field(alias="to")
    kind: MoveKind
    guards: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]] = Field(
        default_factory=list
    )

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class FrameworkSpec(_Strict):
    """One mentoring framework, as written in `frameworks/<id>.yaml`."""

    id: FrameworkId
    name: Text
    description: Text
    source: Text | None = None
    initial: StageRef
    final: StageRef
    stages: list[StageSpec] = Field(min_length=2)
    transitions: list[TransitionSpec] = Field(min_length=1)

    def leaves(self) -> list[tuple[str, StepSpec, StageSpec]]:
        """Every stage a session can be in, in order: (machine name, the step or stage, its stage)."""
        out: list[tuple[str, StepSpec, StageSpec]] = []
        for stage in self.stages:
            if stage.steps:
                out.extend(
                    (f"{stage.id}{NESTING_SEPARATOR}{step.id}", step, stage) for step in stage.steps
                )
            else:
                out.append((stage.id, stage, stage))
        return out
