"""Reflections against the mentee's previous turn: does a statement restate it, and how deeply.

A simple reflection says back what was said; a complex one adds meaning or feeling (MITI 4.2.1).
Here a reflection is complex when it is framed as a guess at meaning ("it sounds like", "part of
you", "I wonder if", "must be") or names a feeling or meaning word the mentee did not use (this
last test needs the mentee's turn: without it a reflection is complex only by its framing).
"""

from __future__ import annotations

import re

from server.coding.lexicon import Lexicon
from server.coding.text import content_words

_PUNCTUATION = re.compile(r"[.!?,;:]")
_COMPLEX_FRAME = re.compile(
    r"\b(?:sounds?|seems?|must|part of you|wonder|as if|as though|sense|imagine|almost|"
    r"on the one hand|no wonder|makes sense|caught|torn)\b"
)


def restates(head: str, context: str | None, lex: Lexicon) -> bool:
    """The statement shares enough content words with the mentee's turn to be saying it back."""
    if not context:
        return False
    mine = content_words(head, lex)
    if not mine:
        return False
    shared = mine & content_words(context.lower(), lex)
    return len(shared) >= 2 or (len(shared) == 1 and len(mine) <= 3)


def words_in(text: str, names: tuple[str, ...], lex: Lexicon) -> list[str]:
    """The words of the named lists that occur in `text`, in list order."""
    padded = f" {_PUNCTUATION.sub(' ', text)} "
    # `w in padded` first: most words are not in the text at all, and that test builds no string.
    return [
        w for name in names for w in lex.words_ordered[name] if w in padded and f" {w} " in padded
    ]


def _feelings_in(text: str, lex: Lexicon) -> set[str]:
    return set(words_in(text, ("feelings", "meanings"), lex))


def reflection_detail(head: str, context: str | None, lex: Lexicon) -> str:
    """'complex' when the reflection adds meaning or feeling, else 'simple'."""
    if _COMPLEX_FRAME.search(head):
        return "complex"
    if not context:
        return "simple"
    added = _feelings_in(head, lex) - _feelings_in(context.lower(), lex)
    return "complex" if added else "simple"
