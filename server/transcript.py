"""A practice conversation as data: the turns, their coding, the mentee's annotations.

Shared by the practice engine (which writes it), the store (which saves it) and the scoring
(which reads it). Pure data, JSON round-trips.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from server.coding.labels import CodedTurn

Speaker = Literal["mentor", "mentee"]


class MenteeAnnotation(BaseModel):
    """What the simulated mentee decided on a reply (its decisions, apart from its words)."""

    model_config = ConfigDict(extra="forbid")

    act: str = Field(description="The mentee's move: opening, disclose, short_answer, yes_but, ...")
    units: list[str] = Field(
        default_factory=list, description="Hidden units disclosed by this reply."
    )
    goals: list[str] = Field(default_factory=list, description="Goal ids voiced by this reply.")
    options: list[str] = Field(default_factory=list, description="Own option ids voiced.")
    committed: bool = Field(default=False, description="This reply made the specific commitment.")
    risk_cue: str | None = Field(default=None, description="Id of a risk cue shown by this reply.")
    bait: bool = Field(default=False, description="This reply asks the mentor for advice.")
    scale: int | None = Field(default=None, description="A 0-10 rating given in this reply.")
    depth: int = Field(
        default=0,
        ge=0,
        le=3,
        description="Deepest layer disclosed so far: 0 none, 1 surface, 2 deeper, 3 core.",
    )
    trust: float = Field(description="Trust after this reply, 0..1.")
    inferred: bool = Field(
        default=False,
        description="Inferred from the words by scoring.annotate, not decided by the mentee "
        "(trust is then an estimate from the mentor's moves).",
    )


class Turn(BaseModel):
    """One turn of the conversation."""

    model_config = ConfigDict(extra="forbid")

    index: int
    speaker: Speaker
    text: str
    stage: str | None = None
    coding: CodedTurn | None = None
    mentee: MenteeAnnotation | None = None
    correction: CodedTurn | None = Field(
        default=None, description="A facilitator's correction of the coder's codes, if any."
    )

    def effective_coding(self) -> CodedTurn | None:
        """The facilitator's codes where they corrected the coder, else the coder's."""
        return self.correction or self.coding
