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
The per-turn rules (advice or signposting, permission) are read once per turn in `facts.py`.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Sequence

from server.coding.labels import Code, CodedTurn
from server.scoring.facts import MentorTurn, advice_hits
from server.scoring.models import AdviceCounts, MicroSkills
from server.transcript import Turn

WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_WORD_BYTES = re.compile(rb"[A-Za-z0-9]+(?:'[A-Za-z]+)?")  # WORD over `_plain` text
# Bytes that can be part of a word stay; every other byte becomes a space.
_PLAIN = bytes(
    b if chr(b) in string.ascii_letters + string.digits + "'" else 32 for b in range(256)
)
_APOSTROPHE = ord("'")  # `in` on bytes is cheapest with an int


def has_advice(coding: CodedTurn | None) -> bool:
    """The turn gives advice (other than signposting)."""
    return coding is not None and bool(advice_hits(coding))


def _plain(text: str) -> bytes:
    """`text` as ASCII with both apostrophes as "'" and a space for every character that cannot
    be part of a word."""
    return text.replace("’", "'").encode("ascii", "replace").translate(_PLAIN)


def words(text: str) -> int:
    """The number of words in `text`: the matches of WORD.

    Running WORD over all the text cost a sixth of a report (some 300 instructions a character).
    No word spans a space of `_plain(text)`, and a space-separated piece of it without an
    apostrophe is one word; only the pieces with one need the regex.
    """
    plain = _plain(text)
    pieces = plain.split()
    if _APOSTROPHE not in plain:
        return len(pieces)
    return sum(len(_WORD_BYTES.findall(p)) if _APOSTROPHE in p else 1 for p in pieces)


def _advice(mentor: Sequence[MentorTurn], premature: Callable[[int], bool] | None) -> AdviceCounts:
    advice = [m for m in mentor if m.advice]
    return AdviceCounts(
        total=len(advice),
        premature=None if premature is None else sum(1 for m in advice if premature(m.index)),
        with_permission=sum(1 for m in advice if m.permitted),
        permission_asked=sum(1 for m in mentor if m.asks_permission),
    )


def micro_skills(
    turns: Sequence[Turn],
    mentor: Sequence[MentorTurn],
    premature: Callable[[int], bool] | None = None,
) -> MicroSkills:
    """Count the micro-skills of `turns`, whose mentor turns `mentor` has read (`read_mentor`);
    `premature(index)` says whether a turn came before the action stage."""
    coded = [m for m in mentor if m.coding is not None]
    per_code = Counter(code for m in coded for code in m.codes)
    asking = [m for m in coded if m.questions]
    reflective = [m for m in coded if m.reflective]
    return MicroSkills(
        mentor_turns=len(mentor),
        coded_turns=len(coded),
        substantive_turns=sum(1 for m in coded if m.substantive),
        counts={code.value: per_code[code] for code in Code},
        questions=len(asking),
        open_questions=sum(1 for m in asking if m.has(Code.OPEN_QUESTION)),
        closed_questions=sum(1 for m in asking if not m.has(Code.OPEN_QUESTION)),
        stacked_questions=sum(1 for m in asking if len(m.questions) >= 2),
        reflections=len(reflective),
        complex_reflections=sum(1 for m in reflective if m.complex),
        summaries=per_code[Code.SUMMARY],
        affirmations=per_code[Code.AFFIRMATION],
        advice=_advice(mentor, premature),
        roadblocks=per_code[Code.ROADBLOCK],
        directive_turns=sum(1 for m in mentor if m.directive),
        signposting=per_code[Code.SIGNPOSTING],
        # One count over each side's turns joined by spaces (no word spans a space): the same sum.
        mentor_words=words(" ".join([m.turn.text for m in mentor])),
        mentee_words=words(" ".join([t.text for t in turns if t.speaker == "mentee"])),
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
