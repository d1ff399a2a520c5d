"""Micro-skill counts over the mentor's turns (domain.md section 3).

Counting rules (MITI-style, each behaviour at most once per turn):
- a question turn is a mentor turn with an open or closed question; it is open if any of its
  questions is open; two or more questions in one turn make it a stacked question;
- a reflection turn carries a reflection or a summary (MITI 4.2.1 codes summaries as reflections);
  it is complex if a reflection is marked complex, or it is a summary;
- advice the mentor asked permission for (in the same turn, or in their previous turn) is credited:
  it is counted but left out of the directive turns; information marked `with_permission` and
  permission-seeking turns count as permission asked;
- advice that is part of a signposting move (overlapping it, or a bare "Would you consider
  that?" right after it) is not advice;
- premature advice is advice said while the session was in a stage before the framework's first
  action stage.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from server.coding.labels import Code, CodedTurn, CodeHit
from server.scoring.matching import content
from server.scoring.models import AdviceCounts, MicroSkills
from server.transcript import Turn

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
PERMISSION = re.compile(
    r"\b(would it (help|be (ok|okay|alright|all right|helpful|useful)) if i"
    r"|(can|could|may|might) i (offer|share|suggest|mention|add|tell you|give you)"
    r"|would you like (me to|some|an idea|a suggestion|to hear)"
    r"|(is it|would it be) (ok|okay|alright|all right) (if|for me to)"
    r"|do you mind if i|are you open to (a|an|some|hearing))\b",
    re.IGNORECASE,
)


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


def has_advice(coding: CodedTurn | None) -> bool:
    """The turn gives advice (other than signposting)."""
    return coding is not None and bool(advice_hits(coding))


def words(text: str) -> int:
    """The number of words in `text`."""
    return len(WORD.findall(text))


def asks_permission(turn: Turn) -> bool:
    """The turn asks permission before offering an idea or information."""
    coding = turn.effective_coding()
    if coding is not None and "with_permission" in coding.details(Code.INFORMATION):
        return True
    return PERMISSION.search(turn.text) is not None


def _count(codings: Sequence[CodedTurn], test: Callable[[CodedTurn], bool]) -> int:
    return sum(1 for c in codings if test(c))


def _questions(c: CodedTurn) -> int:
    return sum(1 for hit in c.codes if hit.code in (Code.OPEN_QUESTION, Code.CLOSED_QUESTION))


def _is_reflection(c: CodedTurn) -> bool:
    return c.has(Code.REFLECTION) or c.has(Code.SUMMARY)


def _is_complex(c: CodedTurn) -> bool:
    return c.has(Code.SUMMARY) or "complex" in c.details(Code.REFLECTION)


def permitted_advice(mentor: Sequence[Turn]) -> set[int]:
    """Indices of advice turns the mentor asked permission for (same or previous mentor turn)."""
    out: set[int] = set()
    for i, turn in enumerate(mentor):
        if not has_advice(turn.effective_coding()):
            continue
        if asks_permission(turn) or (i > 0 and asks_permission(mentor[i - 1])):
            out.add(turn.index)
    return out


def _advice(
    mentor: Sequence[Turn], permitted: set[int], premature: Callable[[int], bool] | None
) -> AdviceCounts:
    advice = [t for t in mentor if has_advice(t.effective_coding())]
    return AdviceCounts(
        total=len(advice),
        premature=None if premature is None else sum(1 for t in advice if premature(t.index)),
        with_permission=len(permitted),
        permission_asked=sum(1 for t in mentor if asks_permission(t)),
    )


def _directive(mentor: Sequence[Turn], permitted: set[int]) -> int:
    def directive(t: Turn) -> bool:
        c = t.effective_coding()
        if c is None:
            return False
        return c.has(Code.ROADBLOCK) or (has_advice(c) and t.index not in permitted)

    return sum(1 for t in mentor if directive(t))


def micro_skills(
    turns: Sequence[Turn], premature: Callable[[int], bool] | None = None
) -> MicroSkills:
    """Count the micro-skills; `premature(index)` says whether a turn came before the action stage."""
    mentor = [t for t in turns if t.speaker == "mentor"]
    codings = [c for t in mentor if (c := t.effective_coding()) is not None]
    permitted = permitted_advice(mentor)
    reflective = [c for c in codings if _is_reflection(c)]
    asking = [c for c in codings if _questions(c) > 0]
    return MicroSkills(
        mentor_turns=len(mentor),
        coded_turns=len(codings),
        substantive_turns=_count(codings, lambda c: any(h.code is not Code.OTHER for h in c.codes)),
        counts={code.value: sum(1 for c in codings if c.has(code)) for code in Code},
        questions=len(asking),
        open_questions=_count(asking, lambda c: c.has(Code.OPEN_QUESTION)),
        closed_questions=_count(asking, lambda c: not c.has(Code.OPEN_QUESTION)),
        stacked_questions=_count(asking, lambda c: _questions(c) >= 2),
        reflections=len(reflective),
        complex_reflections=_count(reflective, _is_complex),
        summaries=_count(codings, lambda c: c.has(Code.SUMMARY)),
        affirmations=_count(codings, lambda c: c.has(Code.AFFIRMATION)),
        advice=_advice(mentor, permitted, premature),
        roadblocks=_count(codings, lambda c: c.has(Code.ROADBLOCK)),
        directive_turns=_directive(mentor, permitted),
        signposting=_count(codings, lambda c: c.has(Code.SIGNPOSTING)),
        mentor_words=sum(words(t.text) for t in mentor),
        mentee_words=sum(words(t.text) for t in turns if t.speaker == "mentee"),
    )


def _ratio(top: float, bottom: float, scale: float = 1.0) -> float | None:
    return None if bottom == 0 else scale * top / bottom


def micro_values(m: MicroSkills) -> dict[str, float | None]:
    """The micro-skill metrics (None where the denominator is zero)."""
    return {
        "reflection_to_question": _ratio(m.reflections, m.questions),
        "percent_complex_reflections": _ratio(m.complex_reflections, m.reflections, 100),
        "percent_open_questions": _ratio(m.open_questions, m.questions, 100),
        "advice_roadblock_rate": _ratio(m.directive_turns, m.substantive_turns, 100),
        "mentor_talk_share": _ratio(m.mentor_words, m.mentor_words + m.mentee_words, 100),
        "percent_stacked_questions": _ratio(m.stacked_questions, m.questions, 100),
        "summaries": float(m.summaries),
        "affirmations": float(m.affirmations),
    }
