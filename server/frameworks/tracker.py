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
from server.transcript import MenteeAnnotation, Turn

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


def _from_notes(notes: Sequence[MenteeAnnotation]) -> tuple[int, bool, int, bool, bool]:
    """Deepest layer, a goal voiced, own options found, one chosen, a scale given: one pass (this
    runs on many turns, over the whole history)."""
    depth, goals, chosen, scale = 0, False, False, False
    options: set[str] = set()
    for note in notes:
        depth = max(depth, note.depth)
        goals = goals or bool(note.goals)
        options.update(note.options)
        chosen = chosen or note.committed or note.act == "choose"
        scale = scale or note.scale is not None
    return depth, goals, len(options), chosen, scale


def _summary_given(in_stage: Sequence[Turn]) -> bool:
    for turn in in_stage:
        coding = turn.effective_coding()
        if coding is not None and coding.has(Code.SUMMARY):
            return True
    return False


def facts_from_turns(turns: Sequence[Turn], state: FrameworkState) -> Facts:
    """What the guards need, from the turns so far (mentee annotations where present)."""
    since = _stay_start(state)
    mentor = [t for t in turns if t.speaker == "mentor"]
    in_stage = [t for t in mentor if t.index >= since]
    notes = [t.mentee for t in turns if t.mentee is not None]
    answered = _answered_intents(turns)
    if notes:
        depth, goals, options, chosen, scale = _from_notes(notes)
        story_heard = depth >= 2
        goal_stated = goals or Intent.GOAL.value in answered
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
        summary_given=_summary_given(in_stage),
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
    # Only a declared move with guards reads the facts (and finding them reads the whole history).
    guarded = engine.guards.get((state.stage, dest))
    facts = facts_from_turns(turns[:-1], state) if guarded else Facts()
    return engine.move(state, dest, facts, turn)
