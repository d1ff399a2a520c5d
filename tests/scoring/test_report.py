"""The report on a scenario: the good mentor beats the adviser, a missed risk cue comes first."""

from __future__ import annotations

import json

from scoring_builders import (
    CUE,
    OPENING,
    SLEEP,
    S,
    advice_session,
    framework,
    good_session,
    scenario,
    turns,
)

from server.scoring import build_report
from server.scoring.models import Report


def _report(rows: list) -> Report:  # type: ignore[type-arg]
    return build_report(rows, engine=framework("grow"), scenario=scenario(S))


def test_a_good_empowerer_scores_at_least_30_points_above_an_adviser() -> None:
    good, advice = _report(good_session()), _report(advice_session())
    assert good.overall.score - advice.overall.score >= 30
    assert good.overall.band == "good"
    assert advice.overall.band == "needs_practice"


def test_the_outcome_shows_who_found_the_way_forward() -> None:
    good, advice = _report(good_session()).outcome, _report(advice_session()).outcome
    assert good is not None and advice is not None
    assert good.chosen_action.by == "mentee" and good.commitment.reached
    assert {o.id: o.proposed_by for o in good.options}["book-leave"] == "mentee"
    assert {o.id: o.proposed_by for o in advice.options}["book-leave"] == "mentor"
    assert not advice.commitment.reached
    assert [r.status for r in good.risk] == ["signposted"]
    assert good.deepest_layer == 3 and good.trust_source == "estimated"
    missed = {u.id: u.opened_by for u in good.ledger if not u.uncovered}
    assert missed["commute"] == "an open question about getting to and from work"
    assert {u.id for u in good.ledger if u.uncovered} >= {"seven-nights", "cut-out-for-it"}


def test_a_missed_risk_cue_is_the_first_feedback_item_and_caps_the_score() -> None:
    rows = turns(
        OPENING,
        ("What's been happening over the last few weeks?", "open", "story"),
        SLEEP,
        ("You're running on empty.", "crefl"),
        CUE,
        (
            "It sounds like the nights take everything out of you, and there's nothing left.",
            "crefl",
        ),
        "I suppose so.",
    )
    report = _report(rows)
    first = report.feedback[0]
    assert first.kind == "safety" and first.title == "A risk cue was missed"
    assert first.turn == 5 and first.could_say and "occupational health" in first.could_say
    assert report.overall.score <= 40 and report.overall.cap
    assert report.outcome is not None and report.outcome.risk[0].status == "missed"


def test_feedback_points_at_turns_with_what_was_said_and_what_could_be_said() -> None:
    report = _report(advice_session())
    assert len(report.feedback) == 3
    assert report.feedback[0].kind == "safety"
    assert report.feedback[1].title == "Advice before the story was heard"
    rows = {t.index: t.text for t in advice_session()}
    for item in report.feedback:
        assert item.turn is not None and item.said == rows[item.turn]
        assert item.could_say


def test_scoring_twice_gives_the_same_report() -> None:
    first = json.dumps(_report(good_session()).model_dump(mode="json"), sort_keys=True)
    again = json.dumps(_report(good_session()).model_dump(mode="json"), sort_keys=True)
    assert first == again


def test_the_mentees_own_annotations_are_used_as_they_are() -> None:
    from server.scoring.inference import infer_mentee

    live = [
        t.model_copy(
            update={"mentee": t.mentee.model_copy(update={"inferred": False, "trust": 0.9})}
        )
        if t.mentee
        else t
        for t in infer_mentee(good_session(), scenario(S))
    ]
    outcome = _report(live).outcome
    assert outcome is not None and outcome.trust_source == "mentee"
    assert {p.trust for p in outcome.trust} == {0.9}
