"""Whether a line fits the mentor's words: the checks that keep a reply answering what was said.

- a correction ("No, I'm not angry, I'm just worn down") fits only a reflection that raised what
  it denies (angry); otherwise the mentee corrects in general words;
- a "yes, but" fits advice that touches on what it is about ("...if I take leave...");
- a short answer fits the form of the closed question ("Not yet" to "Have you...?", never
  "Once or twice" to "Is this about work?"; a "when/how many" question gets no yes or no);
- a signposting answer fits when it names where the mentor pointed, or no place at all.

Pure and deterministic, on the same crude word matching as the rest of the mentee (`words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from server.mentee.words import content_stems, overlap, stems_of

_CLAUSE = re.compile(r"[.,;:!?]|\bbut\b|\bthough\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|no|nah|never|nothing|nope)\b|n't\b", re.IGNORECASE)
# Words a denial uses without saying what it is about ("it's not the main problem").
_EMPTY = stems_of(
    ["problem", "main", "issue", "exactly", "really", "quite", "call", "about", "whole", "point"]
)


def denied_stems(line: str) -> set[str]:
    """The content of what a correction line denies: the words of its negated clauses."""
    return set(_denied(line))


@lru_cache(maxsize=4096)
def _denied(line: str) -> frozenset[str]:
    """Cached per line: the same correction lines are weighed on every turn that corrects."""
    out: set[str] = set()
    for clause in _CLAUSE.split(line):
        if _NEGATION.search(clause):
            out |= content_stems(clause)
    return frozenset(s for s in out if s not in _EMPTY)


def correction_fits(line: str, heard: str) -> bool:
    """True if the mentor's words raised what the correction denies."""
    return overlap(content_stems(heard), _denied(line)) >= 1


# Words that carry no topic in a piece of advice or a "yes, but".
_ADVICE_EMPTY = stems_of(
    [
        "could", "would", "just", "try", "tried", "people", "work", "sure", "first", "look",
        "able", "talk", "talking", "speak", "speaking", "tell", "ask", "asking", "take", "taking",
        "give", "find", "start", "stop", "keep", "put", "thought", "considered", "why", "don't",
    ]
)  # fmt: skip


def topic_overlap(line: str, heard: str) -> int:
    """How many topic words a line shares with the mentor's words."""
    return overlap(_topic_words(heard), _topic_words(line))


@lru_cache(maxsize=4096)
def _topic_words(text: str) -> frozenset[str]:
    """Cached per text: the same lines (and words heard) are weighed against each other."""
    return frozenset(content_stems(text) - _ADVICE_EMPTY)


# ---------------------------------------------------------------- short answers

_WH = re.compile(r"^\s*(?:\w+[,.]?\s+){0,3}?(what|when|where|who|whom|which|why|how)\b", re.I)
_AUX = re.compile(
    r"\b(is|are|am|was|were|do|does|did|have|has|had|can|could|will|would|should|shall)\b", re.I
)
_YET = re.compile(r"\byet\b", re.I)
_ONCE = re.compile(r"\b(once|twice|ever|never|couple of times|few times)\b", re.I)
_FREQ = re.compile(
    r"\b(sometimes|rarely|hardly|often|most (days|nights|weeks)|lately|recently|loads)\b", re.I
)
_DEGREE = re.compile(
    r"\b(bit|little|sort of|kind of|especially|particularly|mostly|properly|definitely)\b", re.I
)
_EVENT_AUX = frozenset({"have", "has", "had", "did"})
_MODAL_AUX = frozenset({"will", "would", "could", "can", "should", "shall"})


def is_wh_question(heard: str) -> bool:
    """A question asking what, when, how many... (a yes or a no does not answer it)."""
    question = _last_question(heard)
    match = _WH.match(question)
    if not match:
        return False
    aux = _AUX.search(question)
    # "Is that why...?" and "Do you know when...?" are yes/no questions with a wh-word inside.
    return aux is None or aux.start() > match.start(1)


def _last_question(heard: str) -> str:
    parts = [p for p in re.split(r"(?<=[.!?])\s+", heard.strip()) if p]
    asked = [p for p in parts if p.endswith("?")]
    return (asked or parts or [""])[-1]


def question_aux(heard: str) -> str | None:
    """The auxiliary a yes/no question starts with ("have" in "Have you told anyone?")."""
    match = _AUX.search(_last_question(heard))
    return match.group(1).lower() if match else None


def short_fits(line: str, heard: str) -> bool:
    """True if a short answer fits the form of the closed question the mentor asked."""
    if is_wh_question(heard):
        return False
    aux = question_aux(heard)
    if aux is None:
        return True
    if _YET.search(line):
        return aux in _EVENT_AUX or (aux in {"will", "are", "is"} and "going" in heard.lower())
    if _ONCE.search(line):
        return aux in _EVENT_AUX or aux in {"do", "does"}
    if _FREQ.search(line):
        return aux not in _MODAL_AUX and aux != "is"
    if _DEGREE.search(line):
        return aux not in {"did", "will", "would", "should", "shall"}
    return True


# ---------------------------------------------------------------- signposting

_PLACES = stems_of(
    [
        "gp", "occupational health", "practitioner health", "samaritans", "bma", "999", "111",
        "counsellor", "counselling", "union", "hr", "freedom to speak up", "guardian",
        "employee assistance", "chaplain", "psychologist", "helpline", "line", "service",
    ]
)  # fmt: skip


def signpost_fits(line: str, heard: str) -> bool:
    """A line that names a place fits when the mentor named it too (or named nowhere)."""
    named = content_stems(line) & _PLACES
    pointed = content_stems(heard) & _PLACES
    return not named or not pointed or bool(named & pointed)


def best(lines: Iterable[str], score: Iterable[int]) -> list[str]:
    """The lines with the top positive score (empty if none scores)."""
    scored = list(zip(score, lines, strict=True))
    top = max((s for s, _ in scored), default=0)
    return [line for s, line in scored if s == top] if top > 0 else []
