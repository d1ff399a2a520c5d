"""A practice session, turn by turn: code the mentor's words, follow the framework, let the mentee
answer. The one orchestration every caller uses (service, CLI, exemplar, tests).

Everything needed between turns is in `PracticeState` (JSON); the turns themselves are the
caller's to keep and pass back as `history`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from server.coding.labels import Code, CodedTurn
from server.frameworks import FrameworkEngine, FrameworkState, MoveResult
from server.frameworks.tracker import facts_from_turns, follow
from server.mentee import DefaultMentee, Mentee, MenteeState, StageContext
from server.scenarios.spec import ScenarioSpec
from server.transcript import Turn

Coder = Callable[[str, str | None], CodedTurn]
DEFAULT_MENTEE = DefaultMentee()


class PracticeError(ValueError):
    """A turn that cannot be taken (an ended session, empty text)."""


class PracticeState(BaseModel):
    """Everything needed between turns; JSON round-trips."""

    model_config = ConfigDict(extra="forbid")

    scenario: str
    framework: str
    seed: int
    framework_state: FrameworkState
    mentee: MenteeState
    next_index: int
    ended: bool = False


@dataclass(frozen=True)
class TurnOutcome:
    """One exchange: the mentor's coded turn, the mentee's annotated reply, and a hint."""

    state: PracticeState
    mentor: Turn
    mentee: Turn
    nudge: str | None
    move: MoveResult | None


def default_coder(text: str, context: str | None) -> CodedTurn:
    """The micro-skill coder (imported on first use)."""
    from server.coding import code_turn

    return code_turn(text, context)


@lru_cache(maxsize=1024)
def stage_context(engine: FrameworkEngine, stage: str, refused: bool = False) -> StageContext:
    """What the mentee needs to know of the framework at `stage` (the same for every turn there:
    cached, as an engine is built once and never changed)."""
    step = engine.steps[stage]
    covered = frozenset(str(i) for s in engine.steps.values() for i in s.signals)
    return StageContext(
        stage=stage,
        signals=frozenset(str(i) for i in step.signals),
        action=step.action,
        covered=covered,
        refused=refused,
    )


def start(
    scenario: ScenarioSpec,
    engine: FrameworkEngine,
    seed: int = 0,
    *,
    mentee: Mentee = DEFAULT_MENTEE,
) -> tuple[PracticeState, Turn]:
    """A new session and its first turn (index 0): the mentee's opening line."""
    fstate = engine.start(turn=0)
    reply = mentee.open(scenario, seed)
    opening = Turn(
        index=0, speaker="mentee", text=reply.text, stage=fstate.stage, mentee=reply.annotation
    )
    state = PracticeState(
        scenario=scenario.id,
        framework=engine.id,
        seed=seed,
        framework_state=fstate,
        mentee=reply.state,
        next_index=1,
    )
    return state, opening


def _check(scenario: ScenarioSpec, engine: FrameworkEngine, state: PracticeState) -> None:
    if state.ended:
        raise PracticeError("this session has ended; start a new one to keep practising")
    if state.scenario != scenario.id or state.framework != engine.id:
        raise PracticeError(
            f"this session is {state.scenario} with {state.framework}, "
            f"not {scenario.id} with {engine.id}"
        )


def _nudge(
    engine: FrameworkEngine, coded: CodedTurn, stage: str, move: MoveResult | None
) -> str | None:
    if move is not None and not move.accepted and move.reason and move.guard != "stage_worked":
        # An automatic move that only waits for one turn in this stage stays silent: the turn
        # itself counts, and the next one moves on.
        return move.reason
    if coded.has(Code.ADVICE) and not engine.is_action_stage(stage):
        return (
            f"That was advice in {engine.title(stage)}, before the action stage: ask for "
            "their own ideas first."
        )
    if coded.has(Code.ROADBLOCK):
        return "That was a roadblock (reassuring, judging or a story of your own): reflect instead."
    return None


def take_turn(
    scenario: ScenarioSpec,
    engine: FrameworkEngine,
    state: PracticeState,
    history: Sequence[Turn],
    text: str,
    *,
    mentee: Mentee = DEFAULT_MENTEE,
    coder: Coder = default_coder,
) -> TurnOutcome:
    """The mentor says `text`; the framework follows, the mentee answers."""
    _check(scenario, engine, state)
    text = text.strip()
    if not text:
        raise PracticeError("say something: the turn is empty")
    context = history[-1].text if history and history[-1].speaker == "mentee" else None
    coded = coder(text, context)
    index = state.next_index
    fstate = state.framework_state
    said = Turn(index=index, speaker="mentor", text=text, stage=fstate.stage, coding=coded)
    move = follow(engine, fstate, [*history, said], coded.stage_intent)
    if move is not None:
        fstate = move.state
    stage = fstate.stage
    mentor = said if stage == said.stage else said.model_copy(update={"stage": stage})
    ctx = stage_context(engine, stage, refused=move is not None and not move.accepted)
    reply = mentee.respond(scenario, state.mentee, coded, text, ctx)
    answer = Turn(
        index=index + 1, speaker="mentee", text=reply.text, stage=stage, mentee=reply.annotation
    )
    new = state.model_copy(
        update={"framework_state": fstate, "mentee": reply.state, "next_index": index + 2}
    )
    return TurnOutcome(new, mentor, answer, _nudge(engine, coded, stage, move), move)


def move_stage(
    scenario: ScenarioSpec,
    engine: FrameworkEngine,
    state: PracticeState,
    history: Sequence[Turn],
    to: str,
) -> tuple[PracticeState, MoveResult]:
    """An explicit move to stage `to`; the framework's guards decide, a refusal says why."""
    _check(scenario, engine, state)
    fstate = state.framework_state
    result = engine.move(fstate, to, facts_from_turns(history, fstate), state.next_index)
    return state.model_copy(update={"framework_state": result.state}), result


def end(state: PracticeState) -> PracticeState:
    """The session, ended: no more turns."""
    return state.model_copy(update={"ended": True})


def public_state(scenario: ScenarioSpec, state: PracticeState) -> dict[str, object]:
    """The summary the line protocol and the UI show: trust, what was disclosed, commitment."""
    core = {u.id for u in scenario.layers.core}
    total = sum(
        len(layer)
        for layer in (scenario.layers.surface, scenario.layers.deeper, scenario.layers.core)
    )
    mentee = state.mentee
    return {
        "trust": round(mentee.trust, 3),
        "disclosed": list(mentee.disclosed),
        "units_total": total,
        "core_reached": any(u in core for u in mentee.disclosed),
        "committed": mentee.committed,
    }
