"""Matching a mentee's words against a scenario's lines: exact, contained, or high token overlap.

A line matches a text when, after lower-casing and dropping punctuation, they are equal; or the
line (four words or more) appears inside the text; or at least 70% of the line's content words
(four or more of them, stop words dropped) appear in the text. Short lines ("Not really.") match
only exactly, so a brief answer is never mistaken for a disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.language import STOPWORDS as STOP
from server.language import tokens

OVERLAP = 0.7
MIN_WORDS = 4


def content(text: str) -> frozenset[str]:
    """The content words of `text` (stop words dropped)."""
    return frozenset(t for t in tokens(text) if t not in STOP)


def matches(line: str, text: str) -> bool:
    """True if the mentee's `text` says `line` (exactly, contained, or by high overlap)."""
    line_tokens, text_tokens = tokens(line), tokens(text)
    if not line_tokens:
        return False
    if line_tokens == text_tokens:
        return True
    if (
        len(line_tokens) >= MIN_WORDS
        and f" {' '.join(line_tokens)} " in f" {' '.join(text_tokens)} "
    ):
        return True
    words = content(line)
    if len(words) < MIN_WORDS:
        return False
    return len(words & content(text)) / len(words) >= OVERLAP


def any_match(lines: Iterable[str], text: str) -> bool:
    """True if `text` says any of `lines`."""
    return any(matches(line, text) for line in lines)


def mentions(topics: Iterable[str], text: str) -> bool:
    """True if `text` names any of the topics (whole words, case-insensitive)."""
    padded = f" {' '.join(tokens(text))} "
    return any(f" {' '.join(tokens(topic))} " in padded for topic in topics if tokens(topic))
