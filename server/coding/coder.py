"""`code_turn`: every micro-skill in one mentor turn, its evidence, one primary code, the stage.

How a turn is coded:
- the turn is cut into segments (sentences; a question tacked on after a comma is its own
  segment) and each segment gets one code (`classify.code_segment`); every segment that is not
  empty gets a hit whose span is the segment, so stacked questions each get a hit;
- a checking tag after a reflection or summary ("..., is that right?") joins that hit, and a bare
  follow-up after advice or signposting ("Would you consider that?") joins that one;
- advice and information that follow a permission-seeking question in the same turn ("Would it
  help if I shared what others have tried?") carry the detail `with_permission`;
- a changing-subject roadblock that rests only on a weak marker ("Anyway, ...") stands only if
  the turn moves away from the mentee's last turn (`topic`); otherwise the marker is a filler;
- the primary code is the first of PRIMARY_ORDER that the turn carries: advice and roadblocks
  dominate (a turn that advises is counted as advice even if it also asks or reflects), then
  signposting, summary, reflection, information, open question, closed question, affirmation,
  structuring, other. Listening (summary, reflection) outranks asking, so "It sounds exhausting.
  What would help?" counts as a reflection; its question is still one of its codes;
- the stage intent and the suggestion: see `intent` and `suggest`.
"""

from __future__ import annotations

import re

from server.coding.classify import SegmentCode, code_segment
from server.coding.intent import turn_intent
from server.coding.labels import Code, CodedTurn, CodeHit
from server.coding.lexicon import Lexicon, lexicon
from server.coding.suggest import suggestion_for
from server.coding.text import Segment, segments
from server.coding.topic import DIRECTIVE_MOVES, is_weak_shift, moves_away, without_marker

PRIMARY_ORDER: tuple[Code, ...] = (
    Code.ADVICE,
    Code.ROADBLOCK,
    Code.SIGNPOSTING,
    Code.SUMMARY,
    Code.REFLECTION,
    Code.INFORMATION,
    Code.OPEN_QUESTION,
    Code.CLOSED_QUESTION,
    Code.AFFIRMATION,
    Code.STRUCTURING,
    Code.OTHER,
)
_CHECK_TAG = re.compile(
    r"^(?:(?:is|was) (?:that|this|it) (?:right|correct|fair|accurate|about right|true)"
    r"|(?:am i|have i got (?:that|it)|did i get (?:that|it)|do i have (?:that|it)) (?:right|correct)"
    r"|(?:does|would) (?:that|this) (?:sound|seem) (?:right|fair|about right|accurate)"
    r"|correct me if i(?:'m| am) wrong|tell me if i(?:'ve| have) got (?:that|it|this) wrong"
    r"|right|correct|yes|no)\W*$"
)
_LISTENING = frozenset({Code.REFLECTION, Code.SUMMARY})
# A bare follow-up that only asks whether the mentee would take up the suggestion or referral
# just made ("Would you consider that?"): it adds no new move, so it joins that hit.
_FOLLOW_UP = re.compile(
    r"^(?:and |so )?(?:(?:would|could|will|might) you (?:be (?:open|willing|prepared) to|"
    r"(?:maybe |perhaps )?(?:consider|think about|try|do|give)|be up for)"
    r"(?: (?:that|it|this|them|one of (?:those|these|them)|doing (?:that|it|this)|trying (?:that|it|this)|"
    r"do (?:that|it|this)|that a (?:go|try)|it a (?:go|try)))?"
    r"|(?:is|would) (?:that|this|it) (?:be )?(?:something|an option|a possibility)"
    r"(?: (?:you(?:'d| would)? (?:consider|think about|be open to|try|want to try)|for you))?)"
    r"(?: at all| for you)?\W*$"
)
_DIRECTIVE = frozenset({Code.ADVICE, Code.SIGNPOSTING})


def _hit(text: str, segment: Segment, found: SegmentCode) -> CodeHit:
    return CodeHit(
        code=found.code,
        detail=found.detail,
        span=(segment.start, segment.end),
        evidence=text[segment.start : segment.end],
    )


def _with_permission(found: SegmentCode, asked: bool) -> SegmentCode:
    if asked and found.code in (Code.INFORMATION, Code.ADVICE):
        return SegmentCode(found.code, "with_permission")
    return found


def _settle_topic_shifts(
    parts: list[Segment], found: list[SegmentCode], context: str | None, lex: Lexicon
) -> list[SegmentCode]:
    """A weak marker ("Anyway, ...") is a roadblock only if the turn moves away (`topic`)."""
    settled = list(found)
    for index, (segment, code) in enumerate(zip(parts, found, strict=True)):
        if not is_weak_shift(code, segment, lex):
            continue
        rest_code, rest_head = without_marker(segment, context, lex)
        rest = [(rest_code, rest_head)]
        later = zip(parts[index + 1 :], found[index + 1 :], strict=True)
        rest += [(later_code, part.head) for part, later_code in later]
        if rest_code.code in DIRECTIVE_MOVES or not moves_away(rest, context, lex):
            settled[index] = rest_code
    return settled


def _hits(text: str, parts: list[Segment], context: str | None, lex: Lexicon) -> list[CodeHit]:
    hits: list[CodeHit] = []
    asked = False
    coded = _settle_topic_shifts(
        parts, [code_segment(s, context, lex) for s in parts], context, lex
    )
    for segment, found in zip(parts, coded, strict=True):
        if hits and (
            (hits[-1].code in _LISTENING and _CHECK_TAG.match(segment.head))
            or (hits[-1].code in _DIRECTIVE and _FOLLOW_UP.match(segment.head))
        ):
            last = hits[-1]
            hits[-1] = last.model_copy(
                update={
                    "span": (last.span[0], segment.end),
                    "evidence": text[last.span[0] : segment.end],
                }
            )
            continue
        hits.append(_hit(text, segment, _with_permission(found, asked)))
        asked = asked or (found.code is Code.CLOSED_QUESTION and found.detail == "permission")
    return hits


def primary_code(hits: list[CodeHit]) -> Code:
    """The first code of PRIMARY_ORDER among the hits (`other` for a turn with none)."""
    present = {hit.code for hit in hits}
    return next((code for code in PRIMARY_ORDER if code in present), Code.OTHER)


def code_turn(text: str, context: str | None = None) -> CodedTurn:
    """Code one mentor turn; `context` is the mentee's previous turn, if any."""
    lex = lexicon()
    parts = segments(text, lex)
    hits = _hits(text, parts, context, lex)
    primary = primary_code(hits)
    norms = {(s.start): s.norm for s in parts}
    intent = turn_intent([(h.code, norms.get(h.span[0], "")) for h in hits], lex)
    lead = next((h for h in hits if h.code is primary), None)
    return CodedTurn(
        primary=primary,
        codes=tuple(hits),
        stage_intent=intent.value if intent else None,
        suggestion=suggestion_for(lead, context, lex) if lead else None,
    )
