"""Following a conversation through its framework: guard facts from the turns, moves from intents.

Used alike by the live practice engine and by scoring a transcript after the fact, so the stage
timeline of a session and of a re-scored transcript agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache

from server.coding.labels import Code
from server.frameworks.engine import FrameworkEngine, FrameworkState, MoveResult
from server.frameworks.guards import Facts
from server.frameworks.spec import Intent
from server.transcript import Turn

LISTENING = (Code.REFLECTION, Code.SUMMARY, Code.OPEN_QUESTION)


def _stay_start(state: FrameworkState) -> int:
    return state.visits[-1].turn if state.visits else 0


def _answered_intents(turns: Sequence[Turn]) -> set[str]:
    """The intents a mentor turn reached for and the mentee then answered (one pass)."""
    out: set[str] = set()
    for before, after in itertools.pairwise(turns):
        if after.speaker == "mentee":
            coding = before.effective_coding()
            if coding and coding.stage_intent:
                out.add(coding.stage_intent)
    return out


def facts_from_turns(turns: Sequence[Turn], state: FrameworkState) -> Facts:
    """What the guards need, from the turns so far (mentee annotations where present)."""
    since = _stay_start(state)
    mentor = [t for t in turns if t.speaker == "mentor"]
    in_stage = [t for t in mentor if t.index >= since]
    notes = [t.mentee for t in turns if t.mentee is not None]
    answered = _answered_intents(turns)
    if notes:
        depth = max(n.depth for n in notes)
        story_heard = depth >= 2
        goal_stated = any(n.goals for n in notes) or Intent.GOAL.value in answered
        options = len({o for n in notes for o in n.options})
        chosen = any(n.committed or n.act == "choose" for n in notes)
        scale = any(n.scale is not None for n in notes)
    else:  # no mentee annotations: the mentor's codes tell
        codings = [c for t in mentor if (c := t.effective_coding()) is not None]
        listening = sum(any(c.has(code) for code in LISTENING) for c in codings)
        story_heard = listening >= 3
        goal_stated = Intent.GOAL.value in answered
        options = sum(c.stage_intent == Intent.OPTIONS.value for c in codings)
        chosen = Intent.CHOICE.value in answered or Intent.PLAN.value in answered
        scale = Intent.SCALING.value in answered
    return Facts(
        mentor_turns_in_stage=len(in_stage),
        story_heard=story_heard,
        summary_given=any(
            (c := t.effective_coding()) is not None and c.has(Code.SUMMARY) for t in in_stage
        ),
        contract_agreed=Intent.CONTRACT.value in answered,
        goal_stated=goal_stated,
        scale_given=scale,
        resources_named=Intent.RESOURCES.value in answered,
        options_found=options,
        option_chosen=chosen,
    )


@lru_cache(maxsize=4096)
def target_for(engine: FrameworkEngine, stage: str, intent: str | None) -> str | None:
    """The stage a turn with `intent` reaches for, or None to stay where we are.

    Stay if the current stage lists the intent; else the first later stage that does; else the
    nearest earlier one (moving back is normal). Cached: an engine is built once and never
    changed, so the answer for a stage and an intent is always the same.
    """
    if intent is None:
        return None
    try:
        wanted = Intent(intent)
    except ValueError:
        return None
    candidates = engine.stages_for(wanted)
    if not candidates or stage in candidates:
        return None
    here = engine.order[stage]
    later = [s for s in candidates if engine.order[s] > here]
    if later:
        return later[0]
    return max(candidates, key=engine.order.__getitem__)


def follow(
    engine: FrameworkEngine, state: FrameworkState, turns: Sequence[Turn], intent: str | None
) -> MoveResult | None:
    """Try the move a mentor turn's intent reaches for; None when it reaches for no other stage.

    `turns` are the turns up to and including the mentor turn; the move is recorded at its index.
    """
    dest = target_for(engine, state.stage, intent)
    if dest is None:
        return None
    turn = turns[-1].index if turns else 0
    return engine.move(state, dest, facts_from_turns(turns[:-1], state), turn)
