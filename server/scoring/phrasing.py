"""Small phrasings for feedback: a simple reflection of what the mentee said, a shortened quote."""

from __future__ import annotations

import re

from server.language import second_person

SENTENCE = re.compile(r"(?<=[.!?])\s+")
FILLERS = ("honestly", "to be fair", "i mean", "so", "well", "yeah", "yes", "and", "but", "um")


def quote(text: str, limit: int = 160) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def _telling_sentence(text: str) -> str:
    """The sentence most worth reflecting: the first of five words or more."""
    sentences = [s for s in SENTENCE.split(" ".join(text.split())) if s]
    return next((s for s in sentences if len(s.split()) >= 5), "")


def _trim(sentence: str) -> str:
    lowered = sentence.lower()
    for filler in FILLERS:
        if lowered.startswith(filler + " ") or lowered.startswith(filler + ","):
            sentence = sentence[len(filler) :].lstrip(" ,")
            lowered = sentence.lower()
        if lowered.endswith(", " + filler):
            sentence = sentence[: -len(filler) - 2]
            lowered = sentence.lower()
    return sentence


def clause(text: str, limit: int = 18) -> str:
    """The mentee's telling sentence in the second person, without end punctuation."""
    words = _trim(_telling_sentence(text).rstrip(".!?").strip()).split()
    if not words:
        return "that has been hard"
    kept = words[:limit]
    cut = len(words) > limit
    commas = [i for i, w in enumerate(kept) if w.endswith(",") and i >= 3]
    if cut and commas:
        kept, cut = kept[: commas[-1] + 1], False
        kept[-1] = kept[-1].rstrip(",")
    said = second_person(" ".join(kept))
    said = said[0].lower() + said[1:]
    return said + ("…" if cut else "")


def reflect(text: str) -> str:
    """A simple reflection: 'It sounds like you ...' from the mentee's own words."""
    said = clause(text)
    return f"It sounds like {said}{'' if said.endswith('…') else '.'}"
