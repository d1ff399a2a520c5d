"""Reading a plain transcript's mentee turns against their scenario: what each reply disclosed.

Each mentee turn without an annotation gets one inferred from its words (see `matching`): the
hidden units it says (and so the depth reached), goals, options, the commitment, a risk cue, a
request for advice. Trust cannot be read from words, so it is estimated from the mentor's moves
by a simple rule (`next_trust`), starting at the scenario's starting trust; the report marks such
a trust line as "estimated".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from server.coding.labels import Code
from server.scenarios.spec import ScenarioSpec, Unit
from server.scoring.facts import MentorTurn, read_mentor
from server.scoring.matching import any_match
from server.transcript import MenteeAnnotation, Turn

Layer = Literal["surface", "deeper", "core"]
DEPTH: dict[Layer, int] = {"surface": 1, "deeper": 2, "core": 3}
LISTENING_GAIN = 0.05
OPEN_GAIN = 0.02
CLOSED_LOSS = 0.02
DIRECTIVE_LOSS = 0.10


def units(scenario: ScenarioSpec) -> list[tuple[Layer, Unit]]:
    """Every hidden unit with its layer, surface first."""
    layers = scenario.layers
    return [
        *(("surface", u) for u in layers.surface),
        *(("deeper", u) for u in layers.deeper),
        *(("core", u) for u in layers.core),
    ]


@dataclass(frozen=True)
class Reading:
    units: list[str]
    depth: int
    goals: list[str]
    options: list[str]
    committed: bool
    risk_cue: str | None
    bait: bool


def read_reply(text: str, scenario: ScenarioSpec) -> Reading:
    """What a mentee reply says, by matching it against the scenario's lines."""
    found = [(layer, u.id) for layer, u in units(scenario) if any_match(u.lines, text)]
    cue = next((c.id for c in scenario.risk_cues if any_match(c.lines, text)), None)
    return Reading(
        units=[uid for _, uid in found],
        depth=max((DEPTH[layer] for layer, _ in found), default=0),
        goals=[g.id for g in scenario.goals if any_match(g.lines, text)],
        options=[o.id for o in scenario.options if any_match(o.lines, text)],
        committed=any_match(scenario.commitment.lines, text),
        risk_cue=cue,
        bait=any(any_match(b.lines, text) for b in scenario.bait),
    )


def _plain_act(text: str, scenario: ScenarioSpec) -> str:
    kinds: list[tuple[str, Sequence[str]]] = [
        ("feeling", [line for f in scenario.feelings for line in f.lines]),
        ("explore_risk", [line for c in scenario.risk_cues for line in c.explored_lines]),
        ("accept_signpost", scenario.signposting.accept_lines),
        ("reject_signpost", scenario.signposting.reject_lines),
        ("yes_but", scenario.yes_but),
        ("comply", scenario.compliance),
        ("withdraw", scenario.withdrawal),
        ("correct", scenario.corrections),
        ("short_answer", scenario.short_answers),
        ("opening", scenario.opening),
    ]
    return next((act for act, lines in kinds if any_match(lines, text)), "reply")


def act_of(reading: Reading, text: str, scenario: ScenarioSpec) -> str:
    """The reply's move, most telling first."""
    flags = [
        ("commit", reading.committed),
        ("risk_cue", reading.risk_cue is not None),
        ("bait", reading.bait),
        ("option", bool(reading.options)),
        ("goal", bool(reading.goals)),
        ("disclose", bool(reading.units)),
    ]
    return next((act for act, on in flags if on), None) or _plain_act(text, scenario)


def next_trust(trust: float, mentor: MentorTurn) -> float:
    """The estimate after a mentor turn: +0.05 listening (reflection, summary, affirmation),
    else +0.02 an open question; -0.10 advice without permission or a roadblock; -0.02 a closed
    question alone; kept within 0..1."""
    if mentor.coding is None:
        return trust
    if mentor.directive:
        change = -DIRECTIVE_LOSS
    elif mentor.reflective or mentor.has(Code.AFFIRMATION):
        change = LISTENING_GAIN
    elif mentor.has(Code.OPEN_QUESTION):
        change = OPEN_GAIN
    elif mentor.has(Code.CLOSED_QUESTION):
        change = -CLOSED_LOSS
    else:
        change = 0.0
    return min(1.0, max(0.0, round(trust + change, 4)))


def infer_mentee(turns: Sequence[Turn], scenario: ScenarioSpec) -> list[Turn]:
    """The turns with an inferred annotation on every mentee turn that has none."""
    if all(t.mentee is not None for t in turns if t.speaker == "mentee"):
        return list(turns)  # a practice session: the mentee annotated every reply
    mentor = iter(read_mentor(turns))
    trust, depth = scenario.difficulty.trust, 0
    out: list[Turn] = []
    for turn in turns:
        if turn.speaker == "mentor":
            trust = next_trust(trust, next(mentor))
        elif turn.mentee is not None:
            trust, depth = turn.mentee.trust, max(depth, turn.mentee.depth)
        else:
            reading = read_reply(turn.text, scenario)
            depth = max(depth, reading.depth)
            note = MenteeAnnotation(
                act=act_of(reading, turn.text, scenario),
                units=reading.units,
                goals=reading.goals,
                options=reading.options,
                committed=reading.committed,
                risk_cue=reading.risk_cue,
                bait=reading.bait,
                depth=depth,
                trust=trust,
                inferred=True,
            )
            turn = turn.model_copy(update={"mentee": note})
        out.append(turn)
    return out
