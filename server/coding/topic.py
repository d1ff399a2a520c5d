"""Changing the subject (Gordon's roadblock) after a weak marker: "Anyway", "By the way".

The marker does not change the subject; the move does. Changing the subject is the mentor moving
away from what the mentee just said to something of the mentor's own choosing. So a segment that
opens with a weak marker (`words.yaml` `topic_shift`) keeps its `changing_subject` roadblock only
when all of these hold:
- the mentee has just said something to move away from: the context (their previous turn) has a
  content word that is not small talk ("Hi, thanks for having me" has none; no context has none);
- the rest of the turn does not pick it up: no segment after the marker shares a content word with
  the mentee's turn or points back at it ("that", "this", "those", "these");
- the rest of the turn does not hand the choice of topic back: no open question whose stage intent
  is story, goal or contract ("What brings you here?", "What else is going on?").
Otherwise the marker is a filler and the rest of the segment is coded as usual ("Anyway." on its
own is `other`). When the rest of the segment is itself a directive move (advice, another
roadblock, signposting: "Anyway, just leave the summaries till morning"), that more specific code
is kept instead of `changing_subject`. Explicit moves ("On a lighter note", "Let's not dwell on that") stay roadblocks
whatever follows (`cues.yaml`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from server.coding.classify import SegmentCode, code_segment
from server.coding.intent import segment_intent
from server.coding.labels import Code
from server.coding.lexicon import Lexicon
from server.coding.text import Segment, content_words
from server.frameworks.spec import Intent

_BACK_REFERENCE = re.compile(r"\b(?:that|this|those|these)\b")
_HAND_BACK = frozenset({Intent.STORY, Intent.GOAL, Intent.CONTRACT})
DIRECTIVE_MOVES = frozenset({Code.ADVICE, Code.ROADBLOCK, Code.SIGNPOSTING})


def is_weak_shift(found: SegmentCode, segment: Segment, lex: Lexicon) -> bool:
    """A changing_subject roadblock that rests only on a weak marker ("Anyway, ...")."""
    return (
        found.code is Code.ROADBLOCK
        and found.detail == "changing_subject"
        and lex.topic_shift.match(segment.head) is not None
    )


def without_marker(segment: Segment, context: str | None, lex: Lexicon) -> tuple[SegmentCode, str]:
    """The code and head of the segment with its opening marker read as a filler."""
    marker = lex.topic_shift.match(segment.head)
    rest = segment.head[marker.end() :] if marker else segment.head
    if not any(ch.isalnum() for ch in rest):
        return SegmentCode(Code.OTHER, None), rest
    main = rest if segment.main == segment.head else segment.main
    return code_segment(dataclasses.replace(segment, head=rest, main=main), context, lex), rest


def _their_words(context: str | None, lex: Lexicon) -> set[str]:
    if not context:
        return set()
    small_talk = content_words(" ".join(lex.words_ordered["small_talk"]), lex)
    return content_words(context.lower(), lex) - small_talk


def moves_away(rest: Sequence[tuple[SegmentCode, str]], context: str | None, lex: Lexicon) -> bool:
    """Whether the rest of the turn, (code, head) per segment after the marker, leaves the
    mentee's last turn for a topic the mentor chose (see the module docstring)."""
    theirs = _their_words(context, lex)
    if not theirs:
        return False
    for found, head in rest:
        if content_words(head, lex) & theirs or _BACK_REFERENCE.search(head):
            return False
        if found.code is Code.OPEN_QUESTION and segment_intent(head, lex) in _HAND_BACK:
            return False
    return True
