"""The micro-skill label set and the coder's output types (the `empowerer code` JSON contract)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Code(StrEnum):
    """What a mentor turn does (domain.md section 3; closest scheme MITI 4.2.1)."""

    OPEN_QUESTION = "open_question"
    CLOSED_QUESTION = "closed_question"
    REFLECTION = "reflection"
    SUMMARY = "summary"
    AFFIRMATION = "affirmation"
    ADVICE = "advice"
    INFORMATION = "information"
    ROADBLOCK = "roadblock"
    STRUCTURING = "structuring"
    SIGNPOSTING = "signposting"
    OTHER = "other"


QUESTION_CODES = frozenset({Code.OPEN_QUESTION, Code.CLOSED_QUESTION})
LISTENING_CODES = frozenset({Code.REFLECTION, Code.SUMMARY})
DIRECTIVE_CODES = frozenset({Code.ADVICE, Code.ROADBLOCK})


class CodeHit(BaseModel):
    """One code on a turn with the span of the turn that triggered it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    detail: str | None = None
    span: tuple[int, int]
    evidence: str


class CodedTurn(BaseModel):
    """A coded mentor turn: every code found, one primary code for counting, the stage it reaches for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    primary: Code
    codes: tuple[CodeHit, ...]
    stage_intent: str | None = None
    suggestion: str | None = None

    def has(self, code: Code) -> bool:
        """True if any hit carries `code`."""
        return any(hit.code is code for hit in self.codes)

    def details(self, code: Code) -> list[str]:
        """The details of every hit with `code` (e.g. reflection -> ['complex'])."""
        return [hit.detail for hit in self.codes if hit.code is code and hit.detail]

    def to_json(self) -> dict[str, Any]:
        """The `empowerer code` output line, exactly."""
        return {
            "primary": self.primary.value,
            "codes": [
                {
                    "code": hit.code.value,
                    "detail": hit.detail,
                    "span": [hit.span[0], hit.span[1]],
                    "evidence": hit.evidence,
                }
                for hit in self.codes
            ],
            "stage_intent": self.stage_intent,
            "suggestion": self.suggestion,
        }
