"""The micro-skill coder: `code_turn(text, context)` codes one mentor turn.

See `server/coding/README.md` for the codes, the primary rule and the cue lexicons.
"""

from __future__ import annotations

from server.coding.coder import PRIMARY_ORDER, code_turn
from server.coding.labels import Code, CodedTurn, CodeHit

__all__ = ["PRIMARY_ORDER", "Code", "CodeHit", "CodedTurn", "code_turn"]
