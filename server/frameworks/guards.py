"""The guard registry: named conditions a framework file may put on a transition.

Framework files name guards; the loader resolves each name here and hands `transitions` the function,
never the string (a string it does not know would be imported as a dotted path).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict


class Facts(BaseModel):
    """What the session knows when a move is tried; filled from the mentee's state and the turns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mentor_turns_in_stage: int = 0
    story_heard: bool = False
    summary_given: bool = False
    contract_agreed: bool = False
    goal_stated: bool = False
    scale_given: bool = False
    resources_named: bool = False
    options_found: int = 0
    option_chosen: bool = False

    @classmethod
    def satisfied(cls) -> Facts:
        """Facts under which every guard holds: a move the user chose, or a test of the shape."""
        return cls(
            mentor_turns_in_stage=99, story_heard=True, summary_given=True, contract_agreed=True,
            goal_stated=True, scale_given=True, resources_named=True, options_found=99,
            option_chosen=True,
        )  # fmt: skip


@dataclass(frozen=True)
class Guard:
    """A named condition with the sentence a refused move shows the trainee."""

    name: str
    check: Callable[[Facts], bool]
    refusal: str


GUARDS: dict[str, Guard] = {
    guard.name: guard
    for guard in (
        Guard(
            "story_heard",
            lambda f: f.story_heard,
            "The story has not been heard yet: ask open questions and reflect what they tell you "
            "until they have said more than the surface of it.",
        ),
        Guard(
            "stage_worked",
            lambda f: f.mentor_turns_in_stage >= 1,
            "Nothing has been done in this stage yet: spend at least one turn on it first.",
        ),
        Guard(
            "summary_given",
            lambda f: f.summary_given,
            "Summarise what you have heard in this stage before moving on.",
        ),
        Guard(
            "contract_agreed",
            lambda f: f.contract_agreed,
            "Agree what the conversation is for (outcome, time, confidentiality) first.",
        ),
        Guard(
            "goal_stated",
            lambda f: f.goal_stated,
            "They have not said what they want yet: ask a goal question first.",
        ),
        Guard(
            "scale_given",
            lambda f: f.scale_given,
            "Ask where they are on the scale (0-10) before moving on.",
        ),
        Guard(
            "resources_named",
            lambda f: f.resources_named,
            "Ask what already helps, or when things are a little better, first.",
        ),
        Guard(
            "options_explored",
            lambda f: f.options_found >= 2,
            "They have found fewer than two options of their own: ask 'what else?' first.",
        ),
        Guard(
            "option_chosen",
            lambda f: f.option_chosen,
            "They have not chosen an option yet: ask which one suits them best.",
        ),
    )
}


def resolve(name: str) -> Guard:
    """The guard called `name`; KeyError if no such guard exists."""
    return GUARDS[name]
