"""Rendering a Decision into words.

`Phraser` is the seam: the default `LinePhraser` picks from the scenario's own lines by seed, never
a line twice in a session, with light glue around them; a language-model phraser can render the
same decisions in freer words. A reply stays within 1-4 sentences: optional parts (glue, a bait
line, a risk cue) are left out first, and a left-out bait or cue is offered again next turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from random import Random
from typing import Protocol

from server.mentee.fit import (
    best,
    correction_fits,
    is_wh_question,
    short_fits,
    signpost_fits,
    topic_overlap,
)
from server.mentee.glue import ALL_LEADS, glue_candidates
from server.mentee.index import index_of
from server.mentee.model import Decision, MenteeState, Part, PartKind, Rendered, norm
from server.mentee.words import content_stems, overlap
from server.scenarios.loader import sentence_count
from server.scenarios.spec import ScenarioSpec

MAX_SENTENCES = 4

# Where a part's lines come from once its own pool is used up.
_FALLBACK: dict[PartKind, str] = {
    PartKind.UNIT: "restate",
    PartKind.RESTATE: "restate",
    PartKind.FEELING: "hedge",
    PartKind.GOAL: "goal_again",
    PartKind.OPTION: "choose_fallback",
    PartKind.COMMITMENT: "commit_again",
    PartKind.SHORT: "short",
    PartKind.YES_BUT: "comply",
    PartKind.COMPLIANCE: "comply",
    PartKind.WITHDRAWAL: "withdraw",
    PartKind.CORRECTION: "correct",
    PartKind.RISK_EXPLORED: "explored",
    PartKind.SIGNPOST_ACCEPT: "accept",
    PartKind.SIGNPOST_DECLINE: "decline",
    PartKind.OPENING: "hedge",
}


class Phraser(Protocol):
    """Turns a decision into the mentee's words."""

    def render(
        self, scenario: ScenarioSpec, state: MenteeState, decision: Decision, turn: int
    ) -> Rendered: ...


def scenario_lines(scenario: ScenarioSpec, part: Part) -> Sequence[str]:
    """The scenario's own lines for a part (empty for glue)."""
    return index_of(scenario).lines(part.kind, part.ref)


def candidates(scenario: ScenarioSpec, part: Part, decision: Decision) -> list[str]:
    """Every line that could render a part, own lines first, then glue."""
    own = list(scenario_lines(scenario, part))
    if part.kind is PartKind.YES_BUT:
        own += list(scenario.compliance)
    if part.kind is PartKind.GLUE:
        glue = part.ref or "ack"
    elif part.kind in (PartKind.BAIT, PartKind.RISK):
        return own  # never padded: if all were said, it is not shown again
    else:
        glue = _FALLBACK.get(part.kind, "hedge")
    number = "" if decision.scale is None else str(decision.scale)
    return own + list(_numbered_glue(glue, number))


@lru_cache(maxsize=1024)
def _numbered_glue(kind: str, number: str) -> tuple[str, ...]:
    """The glue of `kind` with the scale's number in: "an 8", "a 7"."""
    return tuple(
        re.sub(r"\ba (8|11|18)\b", r"an \1", line.replace("{n}", number))
        for line in glue_candidates(kind)
    )


def _fitting(part: Part, pool: list[str], decision: Decision) -> list[str]:
    """For answers to the mentor's words ("yes, but", compliance): the lines that touch on
    them, if any."""
    if part.kind is not PartKind.COMPLIANCE or not decision.heard:
        return pool
    heard = content_stems(decision.heard)
    scored = [(overlap(content_stems(line), heard), line) for line in pool]
    best = max((score for score, _ in scored), default=0)
    return [line for score, line in scored if score == best] if best > 0 else pool


def _glue(kind: str, used: set[str]) -> list[str]:
    return [line for line in glue_candidates(kind) if norm(line) not in used]


def fitted_pool(
    scenario: ScenarioSpec, part: Part, decision: Decision, used: set[str]
) -> list[str] | None:
    """The lines that fit the mentor's words for parts that answer them (None: no fitting).

    A correction denies only what the mentor raised, else it is said in general words; a
    "yes, but" is about the advice given, else general; a short answer fits the question's form;
    accepting a signpost names the place the mentor named (or none)."""
    heard = decision.heard
    if not heard or part.kind not in _FITTED:
        return None
    own = [line for line in scenario_lines(scenario, part) if norm(line) not in used]
    if part.kind is PartKind.CORRECTION:
        return [line for line in own if correction_fits(line, heard)] or _glue("correct", used)
    if part.kind is PartKind.YES_BUT:
        return best(own, (topic_overlap(line, heard) for line in own)) or _glue("yes_but", used)
    if part.kind is PartKind.SHORT:
        if is_wh_question(heard):
            return _glue("short_wh", used)
        fits = [line for line in own if short_fits(line, heard)]
        return fits or [line for line in _glue("short", used) if short_fits(line, heard)]
    if part.kind is PartKind.SIGNPOST_ACCEPT:
        fits = [line for line in own if signpost_fits(line, heard)]
        return best(fits, (topic_overlap(line, heard) for line in fits)) or fits or None
    return None


# The parts `fitted_pool` fits to the mentor's words.
_FITTED = frozenset(
    {PartKind.CORRECTION, PartKind.YES_BUT, PartKind.SHORT, PartKind.SIGNPOST_ACCEPT}
)


def least_recent(lines: Sequence[str], said: Sequence[str]) -> str:
    """The first of `lines` never said, else the one said longest ago: after a long run of
    questions they cannot answer, a person does say "I'm not sure" again."""
    last = {line: i for i, line in enumerate(said)}
    return min(lines, key=lambda line: last.get(norm(line), -1))


class LinePhraser:
    """The default phraser: the scenario's lines, chosen by seed, never repeated."""

    def render(
        self, scenario: ScenarioSpec, state: MenteeState, decision: Decision, turn: int
    ) -> Rendered:
        used = set(state.used_lines)
        options: list[list[str]] = []
        picks: list[str | None] = []
        for i, part in enumerate(decision.parts):
            # The lines that fit the mentor's words, else its own lines, else any candidate.
            pool = fitted_pool(scenario, part, decision, used)
            if not pool:
                pool = [line for line in scenario_lines(scenario, part) if norm(line) not in used]
            if not pool:
                pool = [
                    line for line in candidates(scenario, part, decision) if norm(line) not in used
                ]
            options.append(pool)
            pick = self._pick(scenario, state, turn, i, _fitting(part, options[-1], decision))
            picks.append(pick)
            if pick is not None:
                used.add(norm(pick))
        dropped = {i for i, pick in enumerate(picks) if pick is None}
        picks, dropped = self._fit(decision.parts, options, picks, dropped)
        chosen = [p for i, p in enumerate(picks) if p is not None and i not in dropped]
        if not chosen:  # a required part with nothing left to say: keep the reply non-empty
            chosen = [least_recent(glue_candidates("hedge"), state.used_lines)]
        return Rendered(
            text=" ".join(chosen), used=tuple(norm(p) for p in chosen), dropped=frozenset(dropped)
        )

    @staticmethod
    def _pick(
        scenario: ScenarioSpec, state: MenteeState, turn: int, index: int, pool: list[str]
    ) -> str | None:
        if not pool:
            return None
        head = [line for line in pool if not line.startswith(ALL_LEADS)] or pool
        if len(head) == 1:
            return head[0]  # what a draw would give (randrange(1) is 0), without seeding one
        rng = Random(f"{scenario.id}:{state.seed}:{turn}:{index}")
        return head[rng.randrange(len(head))]

    @staticmethod
    def _fit(
        parts: Sequence[Part],
        options: list[list[str]],
        picks: list[str | None],
        dropped: set[int],
    ) -> tuple[list[str | None], set[int]]:
        """Keep the reply within MAX_SENTENCES: drop glue, then shorter lines, then extras."""

        def total() -> int:
            return sum(sentence_count(p) for i, p in enumerate(picks) if p and i not in dropped)

        if total() <= MAX_SENTENCES:
            return picks, dropped  # short enough: each step below would leave it as it is
        picks = list(picks)
        for i in range(len(parts)):
            if total() > MAX_SENTENCES and i not in dropped and options[i]:
                taken = {p for j, p in enumerate(picks) if j != i}
                free = [line for line in options[i] if line not in taken] or options[i]
                picks[i] = min(free, key=sentence_count)
        for i, part in enumerate(parts):
            if total() > MAX_SENTENCES and part.optional and part.kind is PartKind.GLUE:
                dropped.add(i)
        for i in reversed(range(len(parts))):
            if total() > MAX_SENTENCES and parts[i].optional:
                dropped.add(i)
        return picks, dropped
