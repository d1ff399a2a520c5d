"""The session report: micro-skills, framework timeline, outcome, bands, an overall score, feedback.

Pure functions of the coded transcript (and the mentee's annotations): no I/O, no web framework.
The overall score (0-100) is the weighted mean of 0-100 points per metric, each metric's points
running through its thresholds (zero -> 0, fair -> 60, good -> 100); metrics that cannot be
computed are left out and the weights renormalised; a missed risk cue caps the score at 40. Band:
good from 75, fair from 50. The weights and thresholds are in `overall.py`, `bands.py` and
`README.md`.
"""

from __future__ import annotations

from server.scoring.models import Band, Feedback, Metric, Report
from server.scoring.report import annotate, build_report

__all__ = ["Band", "Feedback", "Metric", "Report", "annotate", "build_report"]
