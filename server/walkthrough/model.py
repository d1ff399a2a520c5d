"""A self-mentoring walkthrough as plain data: where the user is, what they said, their plan."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.frameworks import FrameworkState

Field_ = Literal["goal", "options", "choice", "step", "confidence", "support", "none"]
Status = Literal["active", "paused", "support", "finished"]
PromptKind = Literal["question", "support", "finished", "paused"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanStep(_Model):
    """One step the user chose, with its date when they gave one."""

    text: str
    due: date | None = None


class Plan(_Model):
    """The user's own plan: their words, gathered stage by stage."""

    goal: str | None = None
    options: list[str] = Field(default_factory=list)
    steps: list[PlanStep] = Field(default_factory=list)
    confidence: int | None = Field(default=None, ge=0, le=10)
    support: str | None = None

    def missing(self) -> list[Field_]:
        """The plan fields still empty, in the order the wrap-up asks for them."""
        out: list[Field_] = []
        if not self.goal:
            out.append("goal")
        if not self.options:
            out.append("options")
        if not self.steps or self.steps[0].due is None:
            out.append("step")
        if self.confidence is None:
            out.append("confidence")
        if not self.support:
            out.append("support")
        return out


class Question(_Model):
    """The question the program asked and is waiting on."""

    stage: str
    text: str
    field: Field_
    canonical: int | None = Field(default=None, description="Index of the stage's question")


class Answer(_Model):
    """What the user wrote in answer to a question."""

    stage: str
    question: str
    text: str


class WalkState(_Model):
    """Everything a walkthrough needs between answers; saved as JSON, resumed by any process."""

    framework: str
    position: FrameworkState
    asked: dict[str, list[int]] = Field(default_factory=dict)
    pending: Question | None = None
    answers: list[Answer] = Field(default_factory=list)
    plan: Plan = Field(default_factory=Plan)
    status: Status = "active"
    wrap_up_asks: dict[str, int] = Field(default_factory=dict)
    support_shown: int = 0
    turn: int = 0


class Prompt(_Model):
    """What the program says next."""

    kind: PromptKind
    text: str
    stage: str
    stage_title: str
    reflection: str | None = None
    summary: str | None = None
    question: str | None = None
