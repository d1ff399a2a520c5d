"""The mentee's data: its state between turns, the context of a turn, and its decisions.

A `Decision` says what the mentee does (disclose unit X, give a short answer, "yes, but", voice
an option, commit...) as parts that refer to the scenario's lines; a `Phraser` renders it in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field


class Act(StrEnum):
    """The mentee's move on one reply (`MenteeAnnotation.act`)."""

    OPENING = "opening"
    DISCLOSE = "disclose"
    FEELING = "feeling"
    SHORT_ANSWER = "short_answer"
    CORRECT = "correct"
    CONFIRM = "confirm"
    YES_BUT = "yes_but"
    COMPLY = "comply"
    WITHDRAW = "withdraw"
    HEDGE = "hedge"
    ACK = "ack"
    NOT_READY = "not_ready"
    GOAL = "goal"
    OPTION = "option"
    CHOOSE = "choose"
    COMMIT = "commit"
    SCALE = "scale"
    EXPLORE_RISK = "explore_risk"
    ACCEPT_SIGNPOST = "accept_signpost"
    DECLINE_SIGNPOST = "decline_signpost"
    REVIEW = "review"


class PartKind(StrEnum):
    """What a part of a reply is drawn from."""

    OPENING = "opening"
    UNIT = "unit"  # ref: unit id (a disclosure)
    RESTATE = "restate"  # ref: unit id (saying it again, another way)
    FEELING = "feeling"  # ref: feeling name
    GOAL = "goal"  # ref: goal id
    OPTION = "option"  # ref: option id
    COMMITMENT = "commitment"
    SHORT = "short"
    YES_BUT = "yes_but"
    COMPLIANCE = "compliance"
    WITHDRAWAL = "withdrawal"
    CORRECTION = "correction"
    BAIT = "bait"  # ref: index into scenario.bait
    RISK = "risk"  # ref: risk cue id
    RISK_EXPLORED = "risk_explored"  # ref: risk cue id
    SIGNPOST_ACCEPT = "signpost_accept"
    SIGNPOST_DECLINE = "signpost_decline"
    GLUE = "glue"  # ref: glue kind (server/mentee/glue.py)


class Part(BaseModel):
    """One piece of a reply. `optional` parts (glue, bait, risk cues) may be left for later."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PartKind
    ref: str | None = None
    optional: bool = False


class Decision(BaseModel):
    """What the mentee does on one reply, apart from its words."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    act: Act
    parts: list[Part]
    trust_delta: float = 0.0
    earned_delta: float = 0.0
    shut: int | None = Field(
        default=None,
        description="New count of listening turns needed "
        "before closed layers reopen; None leaves it.",
    )
    units: list[str] = Field(default_factory=list)
    feelings: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    chosen: str | None = None
    committed: bool = False
    scale: int | None = None
    risk_explored: str | None = None
    signposted: bool = False
    directive: bool = False
    closed: bool = False
    intent: str | None = None
    heard: str = Field(default="", description="The mentor's words, for a phraser to fit to.")
    reason: str = Field(default="", description="Why, in a few words, for debugging and tests.")


class MenteeState(BaseModel):
    """Everything the mentee carries between turns; JSON round-trips."""

    model_config = ConfigDict(extra="forbid")

    seed: int = 0
    trust: float = Field(ge=0, le=1)
    earned: float = 0.0
    shut: int = 0
    turns: int = Field(default=0, description="Mentor turns answered so far.")
    depth: int = Field(default=0, ge=0, le=3)
    disclosed: list[str] = Field(default_factory=list)
    feelings: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list)
    chosen: str | None = None
    committed: bool = False
    confidence: int | None = None
    risk_shown: list[str] = Field(default_factory=list)
    risk_explored: list[str] = Field(default_factory=list)
    signposted: bool = False
    bait_shown: list[int] = Field(default_factory=list)
    bait_open: bool = Field(default=False, description="The last reply asked for advice.")
    last_risk: str | None = Field(default=None, description="A risk cue shown by the last reply.")
    used_lines: list[str] = Field(default_factory=list)
    last_reply: str = ""
    last_units: list[str] = Field(default_factory=list)
    last_act: str = Act.OPENING.value
    last_intent: str | None = None
    directives: int = 0
    closed_streak: int = 0
    readiness: dict[str, float] = Field(default_factory=dict)


@dataclass(frozen=True)
class StageContext:
    """Where the framework stands when the mentee answers."""

    stage: str
    signals: frozenset[str] = field(default_factory=frozenset)
    action: bool = False
    covered: frozenset[str] = field(default_factory=frozenset)
    refused: bool = False

    def fits(self, intent: str) -> bool:
        """True if this stage is the place for `intent` (or no stage of the framework is)."""
        return intent in self.signals or intent not in self.covered


@dataclass(frozen=True)
class Rendered:
    """A decision in words: the text, the lines used, and which parts made it in."""

    text: str
    used: tuple[str, ...]
    dropped: frozenset[int] = frozenset()


@lru_cache(maxsize=16384)
def norm(line: str) -> str:
    """The key a line is remembered by in `MenteeState.used_lines` (so it is never said twice)."""
    return " ".join(line.lower().split())
