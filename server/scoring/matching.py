"""Matching a mentee's words against a scenario's lines: exact, contained, or high token overlap.

A line matches a text when, after lower-casing and dropping punctuation, they are equal; or the
line (four words or more) appears inside the text; or at least 70% of the line's content words
(four or more of them, stop words dropped) appear in the text. Short lines ("Not really.") match
only exactly, so a brief answer is never mistaken for a disclosure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
OVERLAP = 0.7
MIN_WORDS = 4
STOP = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "don't",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "him",
        "his",
        "how",
        "i",
        "i'd",
        "i'll",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "it",
        "it's",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "really",
        "she",
        "so",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yes",
        "yeah",
        "okay",
        "ok",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (curly apostrophes made straight)."""
    return TOKEN.findall(text.lower().replace("’", "'"))


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
