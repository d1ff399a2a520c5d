"""The outcome part of the report, from the mentee's side: what they disclosed, who found the way
forward, whether they committed, whether a risk cue was answered, and their trust over time.

An option counts as the mentor's when the mentor's advice or information named it (one of its
topics) before the mentee voiced it; the chosen action is the option the commitment is about.
"""

from __future__ import annotations

from collections.abc import Sequence

from server.coding.labels import Code
from server.scenarios.spec import Option, RiskCue, ScenarioSpec
from server.scoring.facts import MentorTurn
from server.scoring.inference import units
from server.scoring.matching import any_match, mentions
from server.scoring.models import (
    ChosenAction,
    Commitment,
    OptionStatus,
    OutcomeReport,
    RiskStatus,
    TrustPoint,
    UnitStatus,
)
from server.transcript import MenteeAnnotation, Turn

RISK_POINTS = {"signposted": 1.0, "explored": 0.5, "missed": 0.0}
Notes = list[tuple[Turn, MenteeAnnotation]]  # the annotated mentee turns


def _notes(turns: Sequence[Turn]) -> Notes:
    return [(t, t.mentee) for t in turns if t.speaker == "mentee" and t.mentee is not None]


def _first_said(notes: Notes) -> tuple[dict[str, int], dict[str, int]]:
    """The mentee turn that first disclosed each unit, and the one that first voiced each option."""
    disclosed: dict[str, int] = {}
    voiced: dict[str, int] = {}
    for t, n in notes:
        for unit in n.units:
            disclosed.setdefault(unit, t.index)
        for option in n.options:
            voiced.setdefault(option, t.index)
    return disclosed, voiced


def _ledger(disclosed: dict[str, int], scenario: ScenarioSpec) -> list[UnitStatus]:
    out: list[UnitStatus] = []
    for layer, unit in units(scenario):
        turn = disclosed.get(unit.id)
        out.append(
            UnitStatus(
                id=unit.id,
                layer=layer,
                uncovered=turn is not None,
                turn=turn,
                opened_by=None if turn is not None else unit.opened_by,
            )
        )
    return out


Offers = list[tuple[int, list[str]]]  # the mentor turns with advice or information, their words


def _offers(mentor: Sequence[MentorTurn]) -> Offers:
    return [
        (m.index, [h.evidence for h in (*m.advice, *m.information)])
        for m in mentor
        if m.advice or m.information
    ]


def _mentor_named(offers: Offers, option: Option) -> int | None:
    for index, offered in offers:
        if any(mentions(option.topics, evidence) for evidence in offered):
            return index
    return None


def _option(voiced: dict[str, int], offers: Offers, option: Option) -> OptionStatus:
    own = voiced.get(option.id)
    mentor = _mentor_named(offers, option)
    if mentor is not None and (own is None or mentor < own):
        return OptionStatus(id=option.id, proposed_by="mentor", turn=mentor)
    return OptionStatus(id=option.id, proposed_by="mentee" if own is not None else None, turn=own)


def _commitment(notes: Notes, scenario: ScenarioSpec) -> Commitment:
    turn = next((t.index for t, n in notes if n.committed), None)
    c = scenario.commitment
    return Commitment(reached=turn is not None, turn=turn, step=c.step, when=c.when)


def _named_in_step(scenario: ScenarioSpec) -> list[str]:
    """The options whose topics the scenario's commitment step names."""
    return [o.id for o in scenario.options if mentions(o.topics, scenario.commitment.step)]


def _chosen(notes: Notes, scenario: ScenarioSpec, options: list[OptionStatus]) -> ChosenAction:
    choice = next((n for _, n in notes if n.committed or n.act == "choose"), None)
    if choice is None:
        return ChosenAction(option=None, by=None, turn=None)
    ids = choice.options or ([] if not choice.committed else _named_in_step(scenario))
    status = next((o for o in options if ids and o.id == ids[0]), None)
    if status is None or status.proposed_by is None:
        return ChosenAction(option=ids[0] if ids else None, by="mentee", turn=None)
    return ChosenAction(option=status.id, by=status.proposed_by, turn=status.turn)


def _risk(
    turns: Sequence[Turn], mentor: Sequence[MentorTurn], cue: RiskCue, shown: int
) -> RiskStatus:
    signposted = next(
        (m.index for m in mentor if m.index > shown and m.has(Code.SIGNPOSTING)), None
    )
    explored = next(
        (
            t.index
            for t in turns
            if t.index > shown and t.speaker == "mentee" and any_match(cue.explored_lines, t.text)
        ),
        None,
    )
    if signposted is not None:
        return RiskStatus(
            id=cue.id, level=cue.level, turn=shown, status="signposted", answered_turn=signposted
        )
    status = "explored" if explored is not None else "missed"
    return RiskStatus(id=cue.id, level=cue.level, turn=shown, status=status, answered_turn=None)


def _risks(
    turns: Sequence[Turn], notes: Notes, mentor: Sequence[MentorTurn], scenario: ScenarioSpec
) -> list[RiskStatus]:
    cues = {c.id: c for c in scenario.risk_cues}
    first: dict[str, int] = {}
    for t, n in notes:
        if n.risk_cue in cues and n.risk_cue not in first:
            first[n.risk_cue] = t.index
    return [_risk(turns, mentor, cues[cid], index) for cid, index in first.items()]


def outcome_report(
    turns: Sequence[Turn], mentor: Sequence[MentorTurn], scenario: ScenarioSpec
) -> OutcomeReport:
    """The outcome from annotated mentee turns (annotate or infer them first); `mentor` is the
    mentor turns of `turns`, read (`read_mentor`)."""
    notes = _notes(turns)
    disclosed, voiced = _first_said(notes)
    offers = _offers(mentor)
    options = [_option(voiced, offers, o) for o in scenario.options]
    inferred = any(n.inferred for _, n in notes)
    return OutcomeReport(
        scenario=scenario.id,
        ledger=_ledger(disclosed, scenario),
        deepest_layer=max((n.depth for _, n in notes), default=0),
        options=options,
        chosen_action=_chosen(notes, scenario, options),
        commitment=_commitment(notes, scenario),
        risk=_risks(turns, notes, mentor, scenario),
        trust=[TrustPoint(turn=t.index, trust=round(n.trust, 3)) for t, n in notes],
        trust_source=None if not notes else "estimated" if inferred else "mentee",
    )


def outcome_values(report: OutcomeReport) -> dict[str, float | None]:
    """The outcome metrics."""
    ledger, proposed = report.ledger, [o for o in report.options if o.proposed_by]
    by = report.chosen_action.by
    return {
        "percent_units_uncovered": 100 * sum(u.uncovered for u in ledger) / len(ledger),
        "percent_options_by_mentee": (
            100 * sum(o.proposed_by == "mentee" for o in proposed) / len(proposed)
            if proposed
            else None
        ),
        "chosen_by_mentee": None if by is None else float(by == "mentee"),
        "commitment_reached": float(report.commitment.reached),
        "risk_cue_answered": min((RISK_POINTS[r.status] for r in report.risk), default=None),
        "final_trust": report.trust[-1].trust if report.trust else None,
    }
