"""The `Mentee` protocol and the default deterministic mentee: decide, phrase, remember.

No per-process state: everything a mentee needs between turns is in `MenteeState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from server.coding.labels import CodedTurn
from server.mentee.decide import decide, story_heard, unit_depth
from server.mentee.index import index_of
from server.mentee.model import (
    Act,
    Decision,
    MenteeState,
    Part,
    PartKind,
    Rendered,
    StageContext,
)
from server.mentee.phraser import LinePhraser, Phraser
from server.scenarios.spec import ScenarioSpec
from server.transcript import MenteeAnnotation

_CARRIED_INTENTS = frozenset({"goal", "options", "resources"})


@dataclass(frozen=True)
class Reply:
    """A mentee reply: its words, what it decided, and the state after it."""

    state: MenteeState
    text: str
    annotation: MenteeAnnotation
    decision: Decision


class Mentee(Protocol):
    """A simulated mentee: speaks first, then answers each mentor turn."""

    def open(self, scenario: ScenarioSpec, seed: int) -> Reply: ...

    def respond(
        self,
        scenario: ScenarioSpec,
        state: MenteeState,
        coded: CodedTurn,
        text: str,
        ctx: StageContext,
    ) -> Reply: ...


def initial_state(scenario: ScenarioSpec, seed: int) -> MenteeState:
    """The mentee before the conversation starts."""
    return MenteeState(seed=seed, trust=scenario.difficulty.trust)


@dataclass(frozen=True)
class DefaultMentee:
    """The deterministic mentee: `decide` chooses, the phraser words it."""

    phraser: Phraser = field(default_factory=LinePhraser)

    def open(self, scenario: ScenarioSpec, seed: int) -> Reply:
        state = initial_state(scenario, seed)
        decision = Decision(act=Act.OPENING, parts=[Part(kind=PartKind.OPENING)], reason="opening")
        return self._reply(scenario, state, decision, turn=0)

    def respond(
        self,
        scenario: ScenarioSpec,
        state: MenteeState,
        coded: CodedTurn,
        text: str,
        ctx: StageContext,
    ) -> Reply:
        decision = decide(scenario, state, coded, text, ctx)
        return self._reply(scenario, state, decision, turn=state.turns + 1)

    def _reply(
        self, scenario: ScenarioSpec, state: MenteeState, decision: Decision, turn: int
    ) -> Reply:
        rendered = self.phraser.render(scenario, state, decision, turn)
        new = advance(scenario, state, decision, rendered, turn)
        return Reply(new, rendered.text, annotate(decision, rendered, new), decision)


def _said(decision: Decision, rendered: Rendered) -> dict[PartKind, list[str]]:
    """The refs of the parts that made it into the words, by kind."""
    said: dict[PartKind, list[str]] = {}
    for i, part in enumerate(decision.parts):
        if i not in rendered.dropped:
            said.setdefault(part.kind, []).append(part.ref or "")
    return said


def _add(items: list[str], new: list[str]) -> list[str]:
    if not new:  # the usual case: nothing new of this kind
        return [*items]
    return [*items, *(x for x in new if x not in items)]


def advance(
    scenario: ScenarioSpec, state: MenteeState, decision: Decision, rendered: Rendered, turn: int
) -> MenteeState:
    """The state after a reply: only what made it into the words counts as said."""
    said = _said(decision, rendered)
    units = said.get(PartKind.UNIT, [])
    risks = said.get(PartKind.RISK, [])
    baits = [int(b) for b in said.get(PartKind.BAIT, [])]
    disclosed = _add(state.disclosed, units)
    depth = max([state.depth, *(unit_depth(scenario, u) for u in units)])
    committed = state.committed or decision.committed
    confidence = state.confidence
    if decision.act is Act.SCALE and state.committed:
        confidence = decision.scale
    new = state.model_copy(
        update={
            "trust": round(min(1.0, max(0.0, state.trust + decision.trust_delta)), 4),
            "earned": state.earned + decision.earned_delta,
            "shut": state.shut if decision.shut is None else decision.shut,
            "turns": turn,
            "depth": depth,
            "disclosed": disclosed,
            "feelings": _add(state.feelings, decision.feelings),
            "goals": _add(state.goals, decision.goals),
            "options": _add(state.options, decision.options),
            "chosen": decision.chosen or state.chosen,
            "committed": committed,
            "confidence": confidence,
            "risk_shown": _add(state.risk_shown, risks),
            "risk_explored": _add(
                state.risk_explored, [decision.risk_explored] if decision.risk_explored else []
            ),
            "signposted": state.signposted or decision.signposted,
            "bait_shown": [*state.bait_shown, *(b for b in baits if b not in state.bait_shown)],
            "bait_open": bool(baits),
            "last_risk": risks[0] if risks else None,
            "used_lines": [*state.used_lines, *rendered.used],
            "last_reply": rendered.text,
            "last_units": units,
            "last_act": decision.act.value,
            "last_intent": decision.intent if decision.intent in _CARRIED_INTENTS else None,
            "directives": state.directives + decision.directive,
            "closed_streak": state.closed_streak + 1 if decision.closed else 0,
        }
    )
    new.readiness = readiness(scenario, new)  # read from the new state: set on the fresh copy
    return new


def readiness(scenario: ScenarioSpec, state: MenteeState) -> dict[str, float]:
    """How ready the mentee is for each part of the conversation, 0..1."""
    total = len(index_of(scenario).units)
    heard = story_heard(state)
    return {
        "story": round(len(state.disclosed) / total, 3),
        "goal": 1.0 if heard else 0.0,
        "options": 1.0 if heard else 0.0,
        "commitment": 1.0 if heard and state.options else 0.0,
    }


def annotate(decision: Decision, rendered: Rendered, state: MenteeState) -> MenteeAnnotation:
    """The transcript annotation of a reply (the framework guards read it)."""
    said = _said(decision, rendered)
    risks = said.get(PartKind.RISK) or said.get(PartKind.RISK_EXPLORED, [])
    return MenteeAnnotation(
        act=decision.act.value,
        units=said.get(PartKind.UNIT, []),
        goals=list(decision.goals),
        options=list(decision.options),
        committed=decision.committed,
        risk_cue=risks[0] if risks else None,
        bait=PartKind.BAIT in said,
        scale=decision.scale,
        depth=state.depth,
        trust=state.trust,
    )
