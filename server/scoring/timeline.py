"""The framework part of the report: the stage timeline, skips, refused moves, summaries at changes."""

from __future__ import annotations

from collections.abc import Sequence

from server.coding.labels import Code
from server.frameworks.engine import FrameworkEngine, FrameworkState, StageVisit
from server.frameworks.tracker import follow
from server.scoring.facts import MentorTurn
from server.scoring.models import FrameworkReport, Refusal, StageChange, StageSpan
from server.transcript import Turn


def replay(engine: FrameworkEngine, turns: Sequence[Turn]) -> tuple[FrameworkState, list[str]]:
    """Follow the mentor turns' stage intents through the framework: final state, stage per turn."""
    state = engine.start(turn=turns[0].index if turns else 0)
    stages: list[str] = []
    for i, turn in enumerate(turns):
        coding = turn.effective_coding()
        if turn.speaker == "mentor" and coding is not None:
            result = follow(engine, state, turns[: i + 1], coding.stage_intent)
            if result is not None:
                state = result.state
        stages.append(state.stage)
    return state, stages


def stage_before(state: FrameworkState, index: int) -> str:
    """The stage the session was in when turn `index` began."""
    earlier = [v for v in state.visits if v.turn < index]
    return (earlier[-1] if earlier else state.visits[0]).stage if state.visits else state.stage


def before_action(engine: FrameworkEngine, state: FrameworkState, index: int) -> bool:
    """Turn `index` was said in a stage before the framework's first action stage."""
    first = engine.first_action_stage()
    if first is None:
        return False
    return engine.order[stage_before(state, index)] < engine.order[first]


def _span(
    engine: FrameworkEngine, visit: StageVisit, end: int | None, turns: Sequence[Turn]
) -> StageSpan:
    inside = [t for t in turns if t.index >= visit.turn and (end is None or t.index < end)]
    return StageSpan(
        stage=visit.stage,
        title=engine.title(visit.stage),
        via=visit.via,
        from_turn=visit.turn,
        to_turn=inside[-1].index if inside else None,
        mentor_turns=sum(1 for t in inside if t.speaker == "mentor"),
    )


def _summarised(mentor: Sequence[MentorTurn], index: int) -> bool:
    """The mentor summarised in the turn that moved on or in their turn before it."""
    recent = [m for m in mentor if m.index <= index][-2:]
    return any(m.has(Code.SUMMARY) for m in recent)


def framework_report(
    engine: FrameworkEngine,
    state: FrameworkState,
    turns: Sequence[Turn],
    mentor: Sequence[MentorTurn],
) -> FrameworkReport:
    """Timeline, skipped stages, refusals, whether the final stage was reached, stage changes;
    `mentor` is the mentor turns of `turns`, read (`read_mentor`)."""
    ends: list[int | None] = [v.turn for v in state.visits[1:]]
    final = engine.final_stage()
    return FrameworkReport(
        framework=engine.id,
        name=engine.spec.name,
        timeline=[
            _span(engine, v, end, turns) for v, end in zip(state.visits, [*ends, None], strict=True)
        ],
        skipped=engine.skipped(state),
        refused=[
            Refusal(turn=r.turn, source=r.source, dest=r.dest, guard=r.guard, reason=r.reason)
            for r in state.refused
        ],
        reached_final=any(v.stage == final for v in state.visits),
        final_stage=final,
        first_action_stage=engine.first_action_stage(),
        changes=[
            StageChange(
                turn=v.turn, dest=v.stage, via=v.via, summarised=_summarised(mentor, v.turn)
            )
            for v in state.visits[1:]
            if v.via in ("forward", "skip")
        ],
    )


def framework_values(report: FrameworkReport, premature: int) -> dict[str, float | None]:
    """The framework metrics."""
    changes = report.changes
    summarised = sum(1 for c in changes if c.summarised)
    return {
        "premature_advice": float(premature),
        "stages_skipped": float(len(report.skipped)),
        "refused_moves": float(sum(1 for r in report.refused if r.guard is not None)),
        "reached_final_stage": 1.0 if report.reached_final else 0.0,
        "percent_changes_summarised": 100 * summarised / len(changes) if changes else None,
    }
