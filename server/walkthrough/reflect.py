"""Saying back, briefly and in the second person, what the user wrote (never advice)."""

from __future__ import annotations

import re

from server import language

_FILLERS = re.compile(
    r"^(well|so|um+|erm+|hmm+|ok(ay)?|right|yeah|yes|honestly|i think|i guess|i suppose|"
    r"to be honest|i mean|basically|actually)[,.!\s]+",
    re.I,
)
STEMS = ("It sounds like", "So", "What I'm hearing is that", "You're saying")


def first_clause(text: str, max_words: int = 18) -> str:
    """The first sentence, without fillers, cut to about `max_words` words at a natural break."""
    sentence = re.split(r"(?<=[.!?])\s+|\n", text.strip(), maxsplit=1)[0].strip()
    previous = None
    while previous != sentence:
        previous = sentence
        sentence = _FILLERS.sub("", sentence).strip()
    words = sentence.rstrip(".!?").split()
    if len(words) > max_words:
        cut = words[:max_words]
        for i in range(len(cut) - 1, max_words // 2, -1):
            if cut[i].endswith(",") or cut[i].lower() in {"and", "but", "because", "so", "which"}:
                cut = cut[:i]
                break
        words = cut
    return " ".join(words).rstrip(",;:")


def second_person(clause: str) -> str:
    """Swap first- and second-person words: 'I want my evenings back' -> 'you want your evenings back'."""
    text = language.second_person(clause, both_ways=True)
    return re.sub(r"\byou are\b(?= going| not| so| really)", "you're", text)


def reflect(text: str, turn: int) -> str:
    """A short reflection of `text`; the stem rotates with `turn` so it does not repeat."""
    clause = first_clause(text)
    if len(clause.split()) < 2:
        return "Thank you."
    body = second_person(clause)
    if len(clause.split()) <= 4:
        return f"{body[0].upper()}{body[1:]}."
    if not body.startswith("I "):
        body = body[0].lower() + body[1:]
    return f"{STEMS[turn % len(STEMS)]} {body}."


_PURPOSE_LEAD = re.compile(r"^help (?:the mentee|them)\s+", re.I)
_PURPOSE_SWAPS = (
    (re.compile(r"\bthe mentee's\b"), "your"),
    (re.compile(r"\bthe mentee wants\b"), "you want"),
    (re.compile(r"\bthe mentee\b"), "you"),
    (re.compile(r"\bthey are\b"), "you are"),
    (re.compile(r"\bthey\b"), "you"),
    (re.compile(r"\btheir\b"), "your"),
    (re.compile(r"\b(?<!judging )them\b"), "you"),
)


def for_the_user(purpose: str) -> str:
    """A stage's purpose (written for a mentor) said to the person walking through it:
    "Help the mentee choose their own next step" -> "choose your own next step"."""
    text = _PURPOSE_LEAD.sub("", purpose.strip())
    for pattern, swap in _PURPOSE_SWAPS:
        text = pattern.sub(swap, text)
    return text[:1].lower() + text[1:] if text[:2] != "I " else text
