"""What each mentor turn does, read once per report: its codes, its advice, its permission.

The micro-skill counts, the trust estimate, the outcome and the feedback all ask the same
questions of the same turns (does it carry advice that is not part of signposting? was that advice
permitted? is it a complex reflection?). `read_mentor` answers them once per mentor turn, scanning
its hits once, and the parts of the report look the answers up.

The two rules read here (the counting rules of `micro.py` and README.md):
- advice that is part of a signposting move (overlapping it, or a bare "Would you consider that?"
  right after it) is not advice;
- advice is permitted when the mentor asked permission in the same turn or in their previous turn;
  a turn asks permission when it says so ("Would it help if I shared...?") or carries information
  marked `with_permission`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from server.coding.labels import QUESTION_CODES, Code, CodedTurn, CodeHit
from server.scoring.matching import content
from server.transcript import Turn

PERMISSION = re.compile(
    r"\b(would it (help|be (ok|okay|alright|all right|helpful|useful)) if i"
    r"|(can|could|may|might) i (offer|share|suggest|mention|add|tell you|give you)"
    r"|would you like (me to|some|an idea|a suggestion|to hear)"
    r"|(is it|would it be) (ok|okay|alright|all right) (if|for me to)"
    r"|do you mind if i|are you open to (a|an|some|hearing))\b",
    re.IGNORECASE,
)
# A word each of PERMISSION's phrasings holds. An ASCII text without any of them cannot match, so
# most turns skip the regex (~25,000 instructions a turn). Other text always runs it: under
# IGNORECASE some non-ASCII letters match ASCII ones ("ı" matches "i").
PERMISSION_WORDS = ("would", "can", "could", "may", "might", "is it", "mind", "open")


def _part_of_signposting(hit: CodeHit, signposts: list[CodeHit]) -> bool:
    """Advice that overlaps a signposting hit, or a bare follow-up to one ("Would you consider
    that?": two content words or fewer, right after it), belongs to the signposting."""
    for sign in signposts:
        if hit.span[0] < sign.span[1] and sign.span[0] < hit.span[1]:
            return True
        if 0 <= hit.span[0] - sign.span[1] <= 2 and len(content(hit.evidence)) <= 2:
            return True
    return False


def advice_hits(coding: CodedTurn, code: Code = Code.ADVICE) -> list[CodeHit]:
    """The hits with `code` (advice by default) that are not part of a signposting move."""
    signposts = [h for h in coding.codes if h.code is Code.SIGNPOSTING]
    return [h for h in coding.codes if h.code is code and not _part_of_signposting(h, signposts)]


def asks_permission(text: str, coding: CodedTurn | None) -> bool:
    """A turn saying `text`, coded `coding`, asks permission before offering an idea or
    information."""
    if coding is not None and "with_permission" in coding.details(Code.INFORMATION):
        return True
    if text.isascii():
        lowered = text.lower()
        if not any(word in lowered for word in PERMISSION_WORDS):
            return False
    return PERMISSION.search(text) is not None


@dataclass(slots=True)  # not frozen: a frozen one costs ten times as much to build
class MentorTurn:
    """A mentor turn and what its effective coding (the facilitator's, else the coder's) says.
    Built once per report by `read_mentor` and only read after.

    An uncoded turn has no codes and no hits: it counts for words only.
    """

    turn: Turn
    coding: CodedTurn | None
    codes: frozenset[Code]
    questions: tuple[CodeHit, ...]  # its open and closed question hits, in order
    advice: tuple[CodeHit, ...]  # its advice, signposting left out
    information: tuple[CodeHit, ...]  # its information, signposting left out
    complex_reflection: bool  # a reflection hit marked complex
    asks_permission: bool
    permitted: bool  # advice the mentor asked permission for, here or in their previous turn

    @property
    def index(self) -> int:
        return self.turn.index

    def has(self, code: Code) -> bool:
        """True if any hit carries `code`."""
        return code in self.codes

    @property
    def substantive(self) -> bool:
        """Coded with a code other than `other`."""
        return bool(self.codes - {Code.OTHER})

    @property
    def reflective(self) -> bool:
        """A reflection or a summary (MITI counts both as reflections)."""
        return Code.REFLECTION in self.codes or Code.SUMMARY in self.codes

    @property
    def complex(self) -> bool:
        """A complex reflection, or a summary."""
        return Code.SUMMARY in self.codes or self.complex_reflection

    @property
    def directive(self) -> bool:
        """A roadblock, or advice given without permission."""
        return Code.ROADBLOCK in self.codes or (bool(self.advice) and not self.permitted)


def _read(turn: Turn, asked_before: bool) -> MentorTurn:
    coding = turn.effective_coding()
    asks = asks_permission(turn.text, coding)
    if coding is None:
        return MentorTurn(turn, None, frozenset(), (), (), (), False, asks, False)
    codes = frozenset(h.code for h in coding.codes)
    # Each scan below runs only when the turn has the code it looks for.
    advice = tuple(advice_hits(coding)) if Code.ADVICE in codes else ()
    return MentorTurn(
        turn=turn,
        coding=coding,
        codes=codes,
        questions=(
            tuple(h for h in coding.codes if h.code in QUESTION_CODES)
            if not codes.isdisjoint(QUESTION_CODES)
            else ()
        ),
        advice=advice,
        information=(
            tuple(advice_hits(coding, Code.INFORMATION)) if Code.INFORMATION in codes else ()
        ),
        complex_reflection=(
            Code.REFLECTION in codes and "complex" in coding.details(Code.REFLECTION)
        ),
        asks_permission=asks,
        permitted=bool(advice) and (asks or asked_before),
    )


def read_mentor(turns: Sequence[Turn]) -> list[MentorTurn]:
    """Every mentor turn of `turns`, in order, read once."""
    out: list[MentorTurn] = []
    for turn in turns:
        if turn.speaker == "mentor":
            out.append(_read(turn, asked_before=bool(out) and out[-1].asks_permission))
    return out
