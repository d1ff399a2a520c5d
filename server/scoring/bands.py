"""Thresholds for every metric, their sources, and the two maps: value -> band, value -> points.

Points (0-100) feed the overall score: piecewise linear through three anchors, `zero` -> 0,
`fair` -> 60, `good` -> 100 (and 100 beyond `good`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from server.scoring.models import Band, Metric

MITI_4 = "MITI 4.2.1 (Moyers, Manuel & Ernst, 2014)"
MITI_3 = "MITI 3.1.1 (Moyers et al., 2010)"
OWN = "Empowerer (the product's own threshold)"

Unit = Literal["ratio", "percent", "count", "yes/no"]


@dataclass(frozen=True)
class Threshold:
    label: str
    fair: float
    good: float
    zero: float
    higher_is_better: bool
    unit: Unit
    source: str


def _higher(label: str, fair: float, good: float, unit: Unit, source: str = OWN) -> Threshold:
    return Threshold(label, fair, good, 0.0, True, unit, source)


def _lower(label: str, fair: float, good: float, zero: float, unit: Unit) -> Threshold:
    return Threshold(label, fair, good, zero, False, unit, OWN)


THRESHOLDS: dict[str, Threshold] = {
    "reflection_to_question": _higher("Reflections per question", 1.0, 2.0, "ratio", MITI_4),
    "percent_complex_reflections": _higher(
        "Complex reflections (% of reflections)", 40, 50, "percent", MITI_4
    ),
    "percent_open_questions": _higher("Open questions (% of questions)", 50, 70, "percent", MITI_3),
    "advice_roadblock_rate": _lower(
        "Advice without permission and roadblocks (% of turns)", 15, 5, 40, "percent"
    ),
    "mentor_talk_share": _lower("Mentor's share of the words (%)", 55, 40, 80, "percent"),
    "percent_stacked_questions": _lower(
        "Stacked questions (% of question turns)", 25, 10, 60, "percent"
    ),
    "summaries": _higher("Summaries", 1, 2, "count"),
    "affirmations": _higher("Affirmations", 1, 2, "count"),
    "premature_advice": _lower("Advice before the action stage", 1, 0, 2, "count"),
    "stages_skipped": _lower("Stages skipped", 1, 0, 3, "count"),
    "refused_moves": _lower("Moves refused by a guard", 1, 0, 3, "count"),
    "reached_final_stage": _higher("Reached the final stage", 1, 1, "yes/no"),
    "percent_changes_summarised": _higher("Stage changes with a summary (%)", 50, 75, "percent"),
    "percent_units_uncovered": _higher("Hidden story uncovered (% of units)", 40, 70, "percent"),
    "percent_options_by_mentee": _higher("Options proposed by the mentee (%)", 50, 80, "percent"),
    "chosen_by_mentee": _higher("Chosen action proposed by the mentee", 1, 1, "yes/no"),
    "commitment_reached": _higher("Specific, dated commitment", 1, 1, "yes/no"),
    "risk_cue_answered": _higher(
        "Risk cue answered (1 signposted, 0.5 explored, 0 missed)", 0.5, 1, "ratio"
    ),
    "final_trust": _higher("Mentee's trust at the end (0-1)", 0.5, 0.7, "ratio"),
}


def band(value: float | None, t: Threshold) -> Band | None:
    """The band of `value`, or None when there is no value."""
    if value is None:
        return None
    if t.higher_is_better:
        good, fair = value >= t.good, value >= t.fair
    else:
        good, fair = value <= t.good, value <= t.fair
    return Band.GOOD if good else Band.FAIR if fair else Band.NEEDS_PRACTICE


def _between(value: float, start: float, end: float, low: float, high: float) -> float:
    """Linear from (start -> low) to (end -> high); start != end."""
    return low + (high - low) * (value - start) / (end - start)


def points(value: float, t: Threshold) -> float:
    """0-100 through the anchors zero -> 0, fair -> 60, good -> 100."""
    sign = 1.0 if t.higher_is_better else -1.0
    v, zero, fair, good = sign * value, sign * t.zero, sign * t.fair, sign * t.good
    if v >= good:
        return 100.0
    if v >= fair:
        return _between(v, fair, good, 60.0, 100.0)
    if v > zero:
        return _between(v, zero, fair, 0.0, 60.0)
    return 0.0


def metric(name: str, value: float | None) -> Metric:
    """The named metric with its band and thresholds (values rounded for reading)."""
    t = THRESHOLDS[name]
    shown = None if value is None else round(value, 2)
    return Metric(
        label=t.label,
        value=shown,
        band=band(value, t),
        fair=t.fair,
        good=t.good,
        higher_is_better=t.higher_is_better,
        unit=t.unit,
        source=t.source,
    )


def overall_band(score: float) -> Band:
    """The session's band: good from 75, fair from 50 (the product's own)."""
    return Band.GOOD if score >= 75 else Band.FAIR if score >= 50 else Band.NEEDS_PRACTICE
