"""Practice sessions: the orchestration of coder, framework and mentee, turn by turn."""

from __future__ import annotations

from server.practice.engine import (
    Coder,
    PracticeError,
    PracticeState,
    TurnOutcome,
    end,
    move_stage,
    public_state,
    stage_context,
    start,
    take_turn,
)

__all__ = [
    "Coder",
    "PracticeError",
    "PracticeState",
    "TurnOutcome",
    "end",
    "move_stage",
    "public_state",
    "stage_context",
    "start",
    "take_turn",
]
