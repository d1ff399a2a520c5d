"""The overall score: a weighted mean of 0-100 points per metric (see README.md for the table).

Points come from each metric's thresholds (zero -> 0, fair -> 60, good -> 100; `bands.points`).
A metric that cannot be computed is left out and the weights of the rest are renormalised, with two
exceptions so that a session without reflections cannot look better for it: with no questions,
reflections per question scores 100 if there were reflections and 0 if not; with no reflections,
complex reflections score 0. A risk cue left missed caps the score at 40 (needs practice). With
no coded mentor turn other than 'other' there is nothing to score: 0.
"""

from __future__ import annotations

from collections.abc import Mapping

from server.scoring.bands import THRESHOLDS, overall_band, points
from server.scoring.models import Band, Component, MicroSkills, Overall

WEIGHTS: dict[str, float] = {
    # micro-skills: always
    "reflection_to_question": 2.0,
    "percent_complex_reflections": 1.0,
    "percent_open_questions": 1.0,
    "advice_roadblock_rate": 2.0,
    "mentor_talk_share": 1.0,
    "percent_stacked_questions": 0.5,
    # framework: with a framework
    "premature_advice": 2.0,
    "reached_final_stage": 1.0,
    "stages_skipped": 0.5,
    "percent_changes_summarised": 0.5,
    # outcome: with a scenario
    "percent_units_uncovered": 2.0,
    "percent_options_by_mentee": 1.0,
    "chosen_by_mentee": 0.5,
    "commitment_reached": 1.0,
    "risk_cue_answered": 2.0,
}
RISK_CAP = 40


def _listening_fallback(name: str, micro: MicroSkills) -> float | None:
    """Points for the two listening metrics when their denominator is zero."""
    if micro.substantive_turns == 0:
        return None
    if name == "reflection_to_question":
        return 100.0 if micro.reflections > 0 else 0.0
    if name == "percent_complex_reflections":
        return 0.0
    return None


def components(values: Mapping[str, float | None], micro: MicroSkills) -> list[Component]:
    """The scored components, in the order of WEIGHTS."""
    out: list[Component] = []
    for name, weight in WEIGHTS.items():
        if name not in values:
            continue
        value = values[name]
        got = (
            points(value, THRESHOLDS[name])
            if value is not None
            else _listening_fallback(name, micro)
        )
        if got is not None:
            out.append(Component(metric=name, points=round(got, 1), weight=weight))
    return out


def overall(values: Mapping[str, float | None], micro: MicroSkills) -> Overall:
    """Score 0-100 and band from the metric values."""
    if micro.substantive_turns == 0:
        return Overall(
            score=0,
            band=Band.NEEDS_PRACTICE,
            components=[],
            cap="No coded mentor turn to score yet.",
        )
    parts = components(values, micro)
    total = sum(c.weight for c in parts)
    score = sum(c.points * c.weight for c in parts) / total if total else 0.0
    cap = None
    if values.get("risk_cue_answered") == 0.0 and score > RISK_CAP:
        score, cap = RISK_CAP, "A risk cue was missed: the score is capped at 40."
    final = round(score)
    return Overall(score=final, band=overall_band(final), components=parts, cap=cap)
