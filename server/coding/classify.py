"""Coding one segment of a mentor turn: the first rule that fits decides.

The order (data in `lexicon/cues.yaml`, steps here):
1. cue rules tried before the question form: signposting, structuring, summary, permission-seeking,
   invitations ("Tell me more"), roadblocks, strong affirmations, disguised and plain advice,
   reflections announced by their opening ("It sounds like", "You feel", "I wonder if");
2. a question (a "?" or an interrogative opening) is open or closed by its form, unless it is a
   statement in declarative order said with a "?" ("Your consultant said no?"): a reflection;
3. cue rules tried after: empathy (an affirmation), information, pleasantries (`other`);
4. a statement that restates the mentee's turn (content words shared with the context), talks
   about "you", or opens with "So ..." is a reflection, simple or complex;
5. anything else is `other`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.coding.labels import Code
from server.coding.lexicon import Lexicon, Rule
from server.coding.reflection import reflection_detail, restates
from server.coding.text import Segment

_FIRST_PERSON = re.compile(r"(?:i|i'm|i've|i'd|i'll|my|me|we|we're|we've|our)\b")
_ABOUT_YOU = re.compile(
    r"^(?:you(?:'re|'ve|'d)?|your \w+(?: \w+)?) (?:\w+ )?(?:are|is|was|were|have|has|had|feel|felt|seem|"
    r"want|wanted|need|needed|don't|didn't|can't|couldn't|haven't|hasn't|wasn't|weren't|aren't|isn't|"
    r"got|get|went|go|keep|kept|think|thought|wish|hope|worry|miss|care|love|hate|find|found|lost|"
    r"been|feeling|getting|having|trying|going|doing|struggling|working|wondering|worried|not|still|always|never|both|"
    r"really|just|also|now)\b"
)

# A statement in declarative order about the mentee or someone in their story ("He left without
# a word?", "Your manager said no?"): the subject, at most two modifiers, then a finite verb.
_DECLARATIVE = re.compile(
    r"^(?:basically |i see,? (?:so )?|and |but )?(?:you|he|she|they|your \w+(?: \w+)?|his \w+|her \w+|"
    r"their \w+) (?:\w+ ){0,2}?(?:is|was|are|were|'s|'re|has|have|had|'ve|said|says|told|tells|"
    r"thinks?|thought|wants?|wanted|made|makes|got|gets|left|lost|went|goes|feels?|felt|keeps?|kept|"
    r"did|does|never|still|just|always|already|can't|couldn't|won't|wouldn't|doesn't|didn't|"
    r"don't|isn't|wasn't|aren't|weren't|hasn't|haven't|took|gave|came|saw|put|found|heard|ran|sent|"
    r"spoke|wrote|broke|chose|fell|forgot|hit|hurt|let|met|paid|quit|shut|stood|threw|won|began|"
    r"brought|bought|caught|taught|knew|became|[a-z]+ed)\b"
)
# Anywhere in the segment, a word that makes it a real question after all ("..., don't you
# think?", "hi, how are you?", "he left, did he?").
_ASKING = re.compile(
    r"\b(?:(?:what|how|why|when|where|who|whom|which|whether|or not|or something|"
    r"or (?:is|are|was|were|do|does|did|has|have|had|can|could|would|will|should))\b|"
    r"(?:do|did|does|are|is|was|were|can|could|would|will|have|has|had|should|don't|didn't|doesn't|"
    r"aren't|isn't|wasn't|weren't|can't|couldn't|wouldn't|won't|haven't|hasn't) "
    r"(?:you|he|she|they|it|we|i|there|that|this|your)\b\W*$)"
)


@dataclass(frozen=True, slots=True)
class SegmentCode:
    """The code one segment got."""

    code: Code
    detail: str | None


def is_question(segment: Segment, lex: Lexicon) -> bool:
    """A question mark, or an interrogative opening ("how are you feeling now")."""
    return segment.question_mark or lex.interrogative.search(segment.main) is not None


def _first_rule(
    rules: tuple[Rule, ...], segment: Segment, question: bool, candidates: set[int]
) -> Rule | None:
    for rule in rules:
        if rule.part_ids.isdisjoint(candidates):
            continue  # none of its patterns could match the head (most rules, most heads)
        if rule.form == "question" and not question:
            continue
        if rule.form == "statement" and question:
            continue
        if rule.matches(segment.head, candidates):
            return rule
    return None


def question_form(segment: Segment, lex: Lexicon) -> Code:
    """Open or closed, by the opening words of the question's main clause."""
    head = segment.main
    if lex.open_first.search(head):
        return Code.OPEN_QUESTION
    if lex.closed.search(head):
        return Code.CLOSED_QUESTION
    if lex.open_after_closed.search(head):
        return Code.OPEN_QUESTION
    return Code.CLOSED_QUESTION


def _statement_code(segment: Segment, context: str | None, lex: Lexicon) -> SegmentCode:
    head = segment.head
    if _FIRST_PERSON.match(head):
        return SegmentCode(Code.OTHER, None)
    about_you = _ABOUT_YOU.search(head) is not None
    if restates(head, context, lex) or segment.so_opening or about_you:
        return SegmentCode(Code.REFLECTION, reflection_detail(head, context, lex))
    return SegmentCode(Code.OTHER, None)


def _from_rule(rule: Rule, segment: Segment, context: str | None, lex: Lexicon) -> SegmentCode:
    if rule.code is Code.REFLECTION:
        return SegmentCode(
            Code.REFLECTION, rule.detail or reflection_detail(segment.head, context, lex)
        )
    if rule.code is Code.ADVICE and rule.detail is None and segment.question_mark:
        return SegmentCode(Code.ADVICE, "disguised")
    return SegmentCode(rule.code, rule.detail)


def _checking_reflection(segment: Segment, lex: Lexicon) -> bool:
    """A statement said back with a question mark ("So you were on nights again?")."""
    if lex.interrogative.search(segment.main) or len(segment.head.split()) < 4:
        return False
    if segment.so_opening or _ABOUT_YOU.match(segment.head) is not None:
        return True
    return _DECLARATIVE.match(segment.head) is not None and _ASKING.search(segment.head) is None


def code_segment(segment: Segment, context: str | None, lex: Lexicon) -> SegmentCode:
    """The code and detail of one segment (see the module docstring for the order)."""
    question = is_question(segment, lex)
    candidates = lex.cue_index.candidates(segment.head)  # the cue patterns that could match
    rule = _first_rule(lex.before_questions, segment, question, candidates)
    if rule is not None:
        return _from_rule(rule, segment, context, lex)
    if question and _checking_reflection(segment, lex):
        return SegmentCode(Code.REFLECTION, reflection_detail(segment.head, context, lex))
    if question:
        return SegmentCode(question_form(segment, lex), None)
    rule = _first_rule(lex.after_questions, segment, question, candidates)
    if rule is not None:
        return SegmentCode(rule.code, rule.detail)
    return _statement_code(segment, context, lex)
