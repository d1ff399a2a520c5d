"""Running the exemplar: the policy plays the mentor against the simulated mentee, through the
same practice engine a trainee uses, and the result is coded, scored and annotated by stage."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from server.exemplar.policy import Context, Memory, Plan, decide
from server.frameworks import FrameworkEngine, FrameworkState
from server.practice import start, take_turn
from server.scenarios.spec import ScenarioSpec
from server.scoring import annotate, build_report
from server.scoring.models import Report
from server.transcript import Turn

MAX_TURNS = 40


class MoveNote(BaseModel):
    """One move a mentor turn made, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    turn: int = Field(description="Index of the mentor turn.")
    move: str = Field(description="The move: contract, complex_reflection, summary, ...")
    why: str


class StageAnnotation(BaseModel):
    """One stay in a stage: where, from which turn to which, how it began, and the moves made."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: str
    title: str
    via: str
    from_turn: int
    to_turn: int | None
    moves: list[MoveNote]


class Exemplar(BaseModel):
    """A complete exemplar conversation: the turns, the report, the annotations by stage.

    The report comes from the session report builder fed the live session (the mentee's own
    annotations and the framework state), as a trainee's practice session is scored;
    `score_transcript` gives what `empowerer score` says of the same words read from text alone.
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    scenario: str
    framework: str
    seed: int
    turns: list[Turn]
    report: Report
    annotations: list[StageAnnotation]
    framework_state: FrameworkState


def converse(
    scenario: ScenarioSpec, engine: FrameworkEngine, seed: int = 0, max_turns: int = MAX_TURNS
) -> tuple[list[Turn], FrameworkState, dict[int, Plan]]:
    """The conversation: turns, the final framework state, and the plan of each mentor turn."""
    state, opening = start(scenario, engine, seed)
    history: list[Turn] = [opening]
    memory = Memory()
    plans: dict[int, Plan] = {}
    while memory.turns < max_turns:
        ctx = Context(
            scenario=scenario,
            engine=engine,
            state=state.framework_state,
            history=history,
            next_index=state.next_index,
            budget=max_turns,
        )
        plan = decide(ctx, memory)
        if plan is None:
            break
        outcome = take_turn(scenario, engine, state, history, plan.text)
        state = outcome.state
        memory.turns += 1
        memory.style += 1
        plans[outcome.mentor.index] = plan
        history += [outcome.mentor, outcome.mentee]
    return history, state.framework_state, plans


def stage_annotations(
    engine: FrameworkEngine, state: FrameworkState, plans: dict[int, Plan], last: int
) -> list[StageAnnotation]:
    """The moves of each stage visit, for a facilitator to show."""
    visits = state.visits
    out: list[StageAnnotation] = []
    for i, visit in enumerate(visits):
        end = visits[i + 1].turn if i + 1 < len(visits) else None
        inside = sorted(t for t in plans if t >= visit.turn and (end is None or t < end))
        moves = [MoveNote(turn=t, move=m, why=w) for t in inside for m, w in plans[t].notes]
        out.append(
            StageAnnotation(
                stage=visit.stage,
                title=engine.title(visit.stage),
                via=visit.via,
                from_turn=visit.turn,
                to_turn=(end - 1) if end is not None else last,
                moves=moves,
            )
        )
    return out


def score_transcript(
    turns: Sequence[Turn], engine: FrameworkEngine, scenario: ScenarioSpec
) -> Report:
    """The report exactly as `empowerer score` gives it for these words (the same builder, fed
    the plain speaker/text transcript)."""
    raw = [(t.speaker, t.text) for t in turns]
    coded, state = annotate(raw, engine=engine, scenario=scenario)
    return build_report(coded, engine=engine, scenario=scenario, framework_state=state)


def run_exemplar(
    scenario: ScenarioSpec, engine: FrameworkEngine, seed: int = 0, max_turns: int = MAX_TURNS
) -> Exemplar:
    """Play the exemplar mentor through `scenario` with `engine`: turns, report, annotations."""
    turns, state, plans = converse(scenario, engine, seed, max_turns)
    return Exemplar(
        scenario=scenario.id,
        framework=engine.id,
        seed=seed,
        turns=turns,
        report=build_report(turns, engine=engine, scenario=scenario, framework_state=state),
        annotations=stage_annotations(engine, state, plans, turns[-1].index),
        framework_state=state,
    )


def exemplar_json(exemplar: Exemplar, engine: FrameworkEngine) -> dict[str, object]:
    """`{"turns": [...], "report": {...}, "annotations": [...]}`: turns as in docs/API.md (codes,
    primary and suggestion on mentor turns), the report as `empowerer score` prints it."""
    from server.service.views import turn_data

    turns = [turn_data(t, engine) for t in exemplar.turns]
    for turn in turns:
        del turn["comment"]
    return {
        "scenario": exemplar.scenario,
        "framework": exemplar.framework,
        "seed": exemplar.seed,
        "turns": turns,
        "report": exemplar.report.model_dump(mode="json"),
        "annotations": [a.model_dump(mode="json") for a in exemplar.annotations],
    }
