"""A better move for the trainee, offered on advice and roadblocks (`lexicon/suggestions.yaml`).

Advice gets an open question that hands the thinking back ("Have you thought about going
part-time?" -> "What options have you thought about?"); advice given after asking permission gets
a nudge to hear the mentee's ideas first. A reassuring roadblock gets a reflection of the feeling
it brushed aside, named from the mentee's turn where possible ("Don't worry" after "I'm dreading
the exam" -> "It sounds like you're feeling worried."). Other roadblocks get the question their
detail names.
"""

from __future__ import annotations

import re

from server.coding.labels import Code, CodeHit
from server.coding.lexicon import Lexicon
from server.coding.reflection import words_in
from server.coding.text import normalise


def _advice(hit: CodeHit, lex: Lexicon) -> str:
    if hit.detail == "with_permission":
        return lex.suggestions.advice_with_permission
    norm = normalise(hit.evidence, lex)
    for pattern, suggestion in lex.advice_suggestions:
        if pattern.search(norm):
            return suggestion
    return lex.suggestions.advice[-1].suggestion


def _brushed_feeling(evidence: str, lex: Lexicon) -> str | None:
    norm = normalise(evidence, lex)
    for word, feeling in lex.suggestions.brushed_feelings.items():
        if word in norm and re.search(rf"\b{re.escape(word)}\b", norm):
            return feeling
    return None


def _reassuring(hit: CodeHit, context: str | None, lex: Lexicon) -> str:
    templates = lex.suggestions.roadblock
    named = words_in(normalise(context, lex), ("feelings",), lex) if context else []
    feeling = named[0] if named else _brushed_feeling(hit.evidence, lex)
    if feeling:
        return templates["reflect_feeling"].format(feeling=feeling)
    return templates["reflect_default"]


def suggestion_for(hit: CodeHit, context: str | None, lex: Lexicon) -> str | None:
    """What the trainee could have said instead of `hit`; None unless advice or a roadblock."""
    if hit.code is Code.ADVICE:
        return _advice(hit, lex)
    if hit.code is not Code.ROADBLOCK:
        return None
    if hit.detail == "reassuring":
        return _reassuring(hit, context, lex)
    templates = lex.suggestions.roadblock
    return templates.get(hit.detail or "default", templates["default"])
