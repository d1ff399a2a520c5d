"""`check_risk(text)`: the local risk check for suicidal ideation, self-harm and acute distress.

Pure and offline: the text is normalised (`text.py`), every pattern of `lexicon.yaml` is run over
it, and each match is judged in turn:

1. an idiom or accident overlapping it ("kill myself laughing", "cut myself shaving") -> off;
2. a clinical or teaching object just after it ("self-harm assessment") -> off;
3. a negation in the clause before it ("I am not suicidal"), or a "? No." after it -> off;
4. whom it is about: the nearest person word before it in the sentence (a third person, "you", or
   a reported or quoted other -> off; a "self" pattern with no first person -> off);
5. clinical context: no named subject and patient or teaching words in the text (and no first
   person in the sentence) -> off;
6. a past marker in the sentence ("years ago", "as a student") lowers high to possible.

Unless a pattern already gave "high", the concept layer (`concepts.py`, `concepts.yaml`) adds the
combinations it finds (a death word with a wish, a means with a plan marker, a short state such as
"I'm completely broken"), judged by the same steps; a concept hit overlapping a pattern match that
was switched off (negated, third person, clinical) is dropped. A sentence with a trivial target
("the printer", "the wifi") cannot be "possible", nor "high" when it also jokes ("lol"); a joke
with a conditional ("if this meeting overruns") is off. Only when nothing counts does the weighted
cue fallback run.

The result is the highest level among the matches left, with a short reason for every match,
including the ones switched off, so a reviewer can see why.

Speed: a screen (`prefilter.py`, built once per process) first names the regexes that could match
the text at all (each needs one of a few fixed strings); only those are run. It changes no result:
a regex left out has no match to find (`benchmarks/risk_equivalence.py` checks this on ~37k texts).
The same pass, over the text only lower-cased and single-spaced, also tells whether normalising
would do more than that (`text.triggers`: an apostrophe, "u", "im", ...); most texts need no more.
When no pattern, no concept rule and no strong cue can be found, the answer is "none" at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from server.prefilter import LiteralIndex, required
from server.safety.concepts import (
    HYPERBOLE,
    JOKE,
    TRIVIAL,
    ConceptHit,
    asking_or_generic,
    can_fire,
    concept_hits,
    concepts,
)
from server.safety.lexicon import Lexicon, Pattern, lexicon
from server.safety.text import normalise, plain, tokens, triggers

Risk = Literal["none", "possible", "high"]
Attribution = Literal["self", "other", "unknown"]

_RANK: dict[str, int] = {"none": 0, "possible": 1, "high": 2}
_SENTENCE_END = re.compile(r"[.!?\n]")
_WORD = re.compile(r"[a-z0-9&]+(?:[-'][a-z0-9]+)*|[^\sa-z0-9]")
_REPORT_SKIP = frozenset({"me", "that", "to", "like", "just", "then", "once", "again", "always"})
_AUX = frozenset(
    {"do", "does", "did", "have", "has", "had", "ever", "really", "even", "would", "will",
     "actually", "honestly", "am", "was", "be", "been", "could", "can", "should", "i"}
)  # fmt: skip
_OTHER_OWNER = frozenset({"his", "her", "their", "your", "him", "them", "he", "she", "they", "you"})
_NOT_WRITER = "not about the writer"
_SNIPPET = 60


class RiskResult(BaseModel):
    """The check's answer: a level and a short reason for each match (counted or switched off)."""

    model_config = ConfigDict(frozen=True)

    risk: Risk
    reasons: list[str]

    @property
    def flagged(self) -> bool:
        """True when the support card should be shown (possible or high)."""
        return self.risk != "none"


@dataclass(frozen=True)
class _Finding:
    level: Risk
    reason: str
    span: tuple[int, int] = (0, 0)
    off: str | None = None


@dataclass(frozen=True)
class _Screen:
    """Which of the check's regexes could match a text, and whether the text needs more than
    `plain` to be normalised: one `LiteralIndex` over all of them, one pass over the text.

    Ids are laid out as the patterns, then the idioms, then the cue fields, then the concept
    families (all but `fragment_start`, which only opens a sentence), then what makes `normalise`
    do more than `plain` (`text.triggers`). A regex whose id is not a candidate cannot match, so
    skipping it changes nothing.
    """

    index: LiteralIndex
    idioms: int  # first id of each block
    cues: int
    families: int
    triggers: int
    family_names: tuple[str, ...]
    decisive: frozenset[int]  # the patterns and the strong cue fields: each may find something

    def normalised(self, text: str) -> tuple[str, set[int]]:
        """`normalise(text)` and its candidates, screening `plain(text)` first: with no trigger
        in it, that is the normalised text already (the common case)."""
        quick = plain(text)
        found = self.index.candidates(quick)
        if max(found, default=-1) < self.triggers:
            return quick, found
        norm = normalise(text)
        return norm, self.index.candidates(norm)

    def nothing_can_fire(self, found: set[int]) -> bool:
        """True when no pattern, no concept rule and no cue sentence can be found: the check's
        steps all come to nothing (no finding at all) for a text with these candidates."""
        return found.isdisjoint(self.decisive) and not can_fire(self.names(found))

    def names(self, found: set[int]) -> frozenset[str]:
        """The concept families among the candidates."""
        return frozenset(
            self.family_names[i - self.families]
            for i in found
            if self.families <= i < self.triggers
        )

    def split(self, norm: str) -> tuple[list[int], list[int], list[int], frozenset[str]]:
        """Candidate pattern indices, idiom indices, cue field indices and family names."""
        return self.blocks(self.index.candidates(norm))

    def blocks(self, found: set[int]) -> tuple[list[int], list[int], list[int], frozenset[str]]:
        """The candidates `found`, as pattern, idiom and cue field indices and family names."""
        ordered = sorted(found)
        patterns = [i for i in ordered if i < self.idioms]
        idioms = [i - self.idioms for i in ordered if self.idioms <= i < self.cues]
        cues = [i - self.cues for i in ordered if self.cues <= i < self.families]
        return patterns, idioms, cues, self.names(found)


@cache
def _screen() -> _Screen:
    lex, families = lexicon(), concepts().families
    names = tuple(n for n in families if n != "fragment_start")
    regexes = [
        *(p.regex for p in lex.patterns),
        *lex.idioms,
        *(r for _w, r in lex.cue_fields),
        *(families[n] for n in names),
    ]
    idioms = len(lex.patterns)
    cues = idioms + len(lex.idioms)
    families_at = cues + len(lex.cue_fields)
    trigger_needs, trigger_words = triggers()
    strong = [cues + i for i, (weight, _r) in enumerate(lex.cue_fields) if weight >= 1]
    return _Screen(
        index=LiteralIndex(
            [required(r) for r in regexes] + trigger_needs,
            words=[len(regexes) + i for i in trigger_words],
        ),
        idioms=idioms,
        cues=cues,
        families=families_at,
        triggers=len(regexes),
        family_names=names,
        decisive=frozenset([*range(idioms), *strong]),
    )


def check_risk(text: str) -> RiskResult:
    """Check one text written by a user; see the module docstring for the rules."""
    lex, screen = lexicon(), _screen()
    norm, found = screen.normalised(text)
    if screen.nothing_can_fire(found):
        return RiskResult(risk="none", reasons=[])  # what the steps below give: no finding
    pattern_ids, idiom_ids, cue_ids, family_names = screen.blocks(found)
    idioms = [m.span() for i in idiom_ids for m in lex.idioms[i].finditer(norm)]
    findings = [
        _judge(lex, norm, pattern, m.span(), idioms)
        for pattern in (lex.patterns[i] for i in pattern_ids)
        for m in pattern.regex.finditer(norm)
    ]
    if not any(f.level == "high" for f in findings):
        taken = [f.span for f in findings if f.off not in (None, _NOT_WRITER)]
        findings += [
            _judge(lex, norm, hit, (hit.start, hit.end), idioms)
            for hit in concept_hits(norm, family_names)
            if not any(a < hit.end and hit.start < b for a, b in taken)
        ]
    if not any(f.level != "none" for f in findings):
        findings += _cue_findings(lex, norm, idioms, cue_ids)
    return _result(findings)


def _cue_findings(
    lex: Lexicon, norm: str, idioms: list[tuple[int, int]], cue_ids: list[int] | None = None
) -> list[_Finding]:
    """The fallback: sentences whose weighted distress cues reach the threshold.

    `cue_ids` (in order) are the fields that could match; a sentence scores only with a strong
    field (weight >= 1), so with none of those there is nothing to find.
    """
    fields = lex.cue_fields if cue_ids is None else tuple(lex.cue_fields[i] for i in cue_ids)
    if not any(weight >= 1 for weight, _regex in fields):
        return []
    if lex.clinical_context.search(norm) or TRIVIAL.search(norm):
        return []
    found: list[_Finding] = []
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(norm)] + [len(norm)]:
        if asking_or_generic(norm[start:end]):
            start = end + 1
            continue
        score, words = _cue_score(lex, fields, norm, start, end, idioms)
        if score >= lex.cue_threshold and len(words) >= 2:
            found.append(_Finding("possible", "distress cues: " + _snippet(", ".join(words))))
        start = end + 1
    return found


def _cue_score(
    lex: Lexicon,
    fields: tuple[tuple[float, re.Pattern[str]], ...],
    norm: str,
    start: int,
    end: int,
    idioms: list[tuple[int, int]],
) -> tuple[float, list[str]]:
    sentence = norm[start:end]
    if any(t in lex.other_person for t in tokens(sentence)):
        return 0.0, []
    score, words, strong = 0.0, [], False
    for weight, regex in fields:
        for m in regex.finditer(norm, start, end):
            a, b = m.span()
            if any(x < b and a < y for x, y in idioms):
                continue
            if weight >= 1 and _negated_before(lex, norm[start:a], negative=False):
                continue
            score += weight
            words.append(m.group(0))
            strong = strong or weight >= 1
    return (score, words) if strong else (0.0, [])


def _result(findings: list[_Finding]) -> RiskResult:
    risk: Risk = "none"
    reasons: list[str] = []
    for finding in sorted(findings, key=lambda f: -_RANK[f.level]):
        if _RANK[finding.level] > _RANK[risk]:
            risk = finding.level
        if finding.reason not in reasons:
            reasons.append(finding.reason)
    return RiskResult(risk=risk, reasons=reasons)


def _judge(
    lex: Lexicon,
    norm: str,
    pattern: Pattern | ConceptHit,
    span: tuple[int, int],
    idioms: list[tuple[int, int]],
) -> _Finding:
    start, end = span
    quoted = _snippet(norm[start:end])
    sentence = _sentence(norm, start, end)
    prefix = norm[sentence[0] : start]
    whole = norm[sentence[0] : sentence[1] + 1]  # with its full stop or question mark
    off = _switched_off(lex, norm, pattern, span, idioms, prefix, whole)
    if off:
        return _Finding("none", f"{off}: {quoted}", span, off)
    level: Risk = pattern.level
    label = pattern.category
    if level == "high" and lex.past_markers.search(norm, sentence[0], sentence[1]):
        level, label = "possible", f"{label} (in the past)"
    return _Finding(level, f"{label}: {quoted}", span)


def _switched_off(
    lex: Lexicon,
    norm: str,
    pattern: Pattern | ConceptHit,
    span: tuple[int, int],
    idioms: list[tuple[int, int]],
    prefix: str,
    sentence: str,
) -> str | None:
    """Why this match does not count, or None when it does."""
    start, end = span
    if any(a < end and start < b for a, b in idioms):
        return "idiom"
    if lex.clinical_objects.match(norm[end:]):
        return "clinical talk"
    if TRIVIAL.search(sentence) and (pattern.level == "possible" or JOKE.search(sentence)):
        return "idiom (a trivial target)"
    if JOKE.search(sentence) and HYPERBOLE.search(sentence):
        return "idiom (a joke)"
    if asking_or_generic(sentence, first_person_before=_has_first_person(lex, prefix)):
        return "a question or a generalisation"
    if pattern.topic_sensitive and lex.topic_markers.search(prefix):
        return "clinical talk"
    if _negated_before(lex, prefix, pattern.negative):
        return "negated"
    if lex.negation_after.match(norm[end:]):
        return "negated"
    if isinstance(pattern, ConceptHit) and set(tokens(norm[start:end])) & _OTHER_OWNER:
        return "third person"
    who = _attribute(lex, prefix, norm[start:end])
    if who == "other":
        return "third person"
    if pattern.subject == "self" and who != "self":
        return _NOT_WRITER
    clinical = lex.clinical_context.search(sentence if who == "self" else norm)
    if clinical and who == "unknown" and not _has_first_person(lex, sentence):
        return "clinical context"
    if clinical and who == "self" and pattern.clinical_sensitive:
        return "clinical context"
    return None


def _sentence(norm: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding norm[start:end]."""
    before = [e.end() for e in _SENTENCE_END.finditer(norm, 0, start)]
    after = _SENTENCE_END.search(norm, end)
    return (before[-1] if before else 0, after.start() if after else len(norm))


def _negated_before(lex: Lexicon, prefix: str, negative: bool) -> bool:
    """A negation cue in the clause window just before the match, scoping over it.

    A cue whose verb is a neg-raising one ("I do not think ...") does not scope over a new "i"
    clause that follows unless it is a denial, and does not cancel a pattern that carries its own
    negation ("I do not think anyone would miss me" is still a hit).
    """
    window = _window(lex, prefix)
    if not window.strip():
        return False
    for cue in reversed(list(lex.negation_cues.finditer(window))):
        if any(b.match(window, cue.start()) for b in lex.negation_breakers):
            continue
        between = tokens(window[cue.end() :])
        raising = _cue_verb(between) in lex.raising_verbs
        if negative and raising:
            continue
        if not negative and "i" in between and not raising:
            continue
        return True
    return False


def _window(lex: Lexicon, prefix: str) -> str:
    """The last few tokens of the prefix, back to the nearest clause boundary."""
    found = list(_WORD.finditer(prefix))
    begin = len(prefix)
    for count, tok in enumerate(reversed(found)):
        if count >= lex.negation_window or tok.group(0) in lex.negation_boundaries:
            break
        begin = tok.start()
    return prefix[begin:]


def _cue_verb(between: list[str]) -> str:
    """The first word after a negation cue that is not an auxiliary or an adverb."""
    return next((t for t in between if t not in _AUX), "")


def _attribute(lex: Lexicon, prefix: str, matched: str) -> Attribution:
    """Whom the match is about: the writer, someone else, or no one named."""
    if prefix.count('"') % 2 == 1:  # inside a quotation: the speaker is whoever opened it
        speaker = _nearest_person(lex, tokens(prefix[: prefix.rfind('"')])[::-1])
        return "other" if speaker[0] == "other" else "self"
    before = tokens(prefix)[::-1]
    self_token = any(t in lex.first_person for t in tokens(matched))
    who, at = _nearest_person(lex, before, skip_other=self_token)
    if who == "unknown" and self_token:
        who, at = "self", -1
    if who == "self" and _reported_by_other(lex, before, at):
        return "other"
    return who


def _nearest_person(
    lex: Lexicon, before: list[str], *, skip_other: bool = False
) -> tuple[Attribution, int]:
    """The first person word scanning back, with its index in `before` (-1 when none)."""
    for index, word in enumerate(before):
        tok = word.removesuffix("'s").removesuffix("s'") if word.endswith(("'s", "s'")) else word
        if tok in lex.first_person:
            return "self", index
        if tok in lex.other_person and not skip_other:
            return "other", index
    return "unknown", -1


def _reported_by_other(lex: Lexicon, before: list[str], at: int) -> bool:
    """'She said I want to die': a reporting verb just before the first person, said by another."""
    for index in range(at + 1, min(at + 4, len(before))):
        tok = before[index]
        if tok in lex.reporting:
            return _nearest_person(lex, before[index + 1 :])[0] == "other"
        if tok not in _REPORT_SKIP:
            return False
    return False


def _has_first_person(lex: Lexicon, sentence: str) -> bool:
    return any(t in lex.first_person for t in tokens(sentence))


def _snippet(matched: str) -> str:
    text = matched if len(matched) <= _SNIPPET else matched[: _SNIPPET - 1] + "…"
    return f"'{text}'"
