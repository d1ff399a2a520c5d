"""The simulated mentee: a `Mentee` protocol and the default deterministic mentee.

Decisions (`decide`) are kept apart from words (`Phraser`), so a language-model phrasing layer can
render the same decisions in freer words.
"""

from __future__ import annotations

from server.mentee.decide import decide
from server.mentee.mentee import DefaultMentee, Mentee, Reply, initial_state
from server.mentee.model import Act, Decision, MenteeState, Part, PartKind, StageContext
from server.mentee.phraser import LinePhraser, Phraser

__all__ = [
    "Act",
    "Decision",
    "DefaultMentee",
    "LinePhraser",
    "Mentee",
    "MenteeState",
    "Part",
    "PartKind",
    "Phraser",
    "Reply",
    "StageContext",
    "decide",
    "initial_state",
]
