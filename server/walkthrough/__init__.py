"""Self-mentoring walkthroughs: the framework's state machine as the mentor, the user's own plan."""

from __future__ import annotations

from server.walkthrough.export import to_ics, to_markdown
from server.walkthrough.guide import answer, back, pause, pause_for_support, resume, skip, start
from server.walkthrough.model import Plan, PlanStep, Prompt, WalkState

__all__ = [
    "Plan", "PlanStep", "Prompt", "WalkState", "answer", "back", "pause", "pause_for_support",
    "resume", "skip", "start", "to_ics", "to_markdown",
]  # fmt: skip
