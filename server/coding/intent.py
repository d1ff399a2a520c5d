"""The framework stage a mentor turn reaches for (a `server.frameworks.spec.Intent` value).

Cues live in `lexicon/intents.yaml`. Within a segment the first intent in the file's `order`
whose cue matches wins. A turn's intent comes from its last question, structuring or summary
segment that has one (the move that hands the floor to the mentee); failing that, from the last
other segment that is not advice, a roadblock or signposting; failing that, None.
"""

from __future__ import annotations

from collections.abc import Sequence

from server.coding.labels import Code
from server.coding.lexicon import Lexicon
from server.frameworks.spec import Intent

_MOVES = frozenset({Code.OPEN_QUESTION, Code.CLOSED_QUESTION, Code.STRUCTURING, Code.SUMMARY})
_NO_INTENT = frozenset({Code.ADVICE, Code.ROADBLOCK, Code.SIGNPOSTING})


def segment_intent(norm: str, lex: Lexicon) -> Intent | None:
    """The intent one normalised segment signals, or None."""
    could = lex.intent_index.candidates(norm)  # the others cannot match: not searched
    for index, intent in enumerate(lex.intent_order):
        if index in could and lex.intents[intent].search(norm):
            return intent
    return None


def turn_intent(coded: Sequence[tuple[Code, str]], lex: Lexicon) -> Intent | None:
    """The turn's intent from its segments' (code, normalised text), in order."""
    fallback: Intent | None = None
    for code, norm in reversed(coded):
        if code in _NO_INTENT:
            continue
        intent = segment_intent(norm, lex)
        if intent is None:
            continue
        if code in _MOVES:
            return intent
        fallback = fallback or intent
    return fallback
