"""Building the session report and annotating a plain transcript: the package's two entry points."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from server.frameworks.engine import FrameworkEngine, FrameworkState
from server.scenarios.spec import ScenarioSpec
from server.scoring.bands import metric
from server.scoring.facts import read_mentor
from server.scoring.feedback import Context, feedback
from server.scoring.inference import infer_mentee
from server.scoring.micro import micro_skills, micro_values
from server.scoring.models import Report
from server.scoring.outcome import outcome_report, outcome_values
from server.scoring.overall import overall
from server.scoring.timeline import before_action, framework_report, framework_values, replay
from server.transcript import Turn

SPEAKERS = ("mentor", "mentee")


def _premature(engine: FrameworkEngine, state: FrameworkState) -> Callable[[int], bool]:
    return lambda index: before_action(engine, state, index)


def build_report(
    turns: Sequence[Turn],
    *,
    engine: FrameworkEngine | None = None,
    scenario: ScenarioSpec | None = None,
    framework_state: FrameworkState | None = None,
) -> Report:
    """The report for a coded transcript (a session so far, or a finished one).

    Without an engine the framework part is None; without a scenario the outcome part is None.
    With an engine and no `framework_state`, the stages are replayed from the turns' stage intents.
    Mentee turns without an annotation get one inferred from their words when there is a scenario.
    Mentor turns without a coding count for words only.
    """
    if (
        engine is not None
        and framework_state is not None
        and framework_state.framework != engine.id
    ):
        raise ValueError(
            f"framework_state is for '{framework_state.framework}', the engine is '{engine.id}'"
        )
    rows = infer_mentee(turns, scenario) if scenario is not None else list(turns)
    state = framework_state
    if engine is not None and state is None:
        state, _ = replay(engine, rows)
    tracked = engine is not None and state is not None
    mentor = read_mentor(rows)
    micro = micro_skills(rows, mentor, _premature(engine, state) if engine and state else None)
    values = micro_values(micro)
    framework = framework_report(engine, state, rows, mentor) if engine and state else None
    if framework is not None:
        values |= framework_values(framework, micro.advice.premature or 0)
    outcome = outcome_report(rows, mentor, scenario) if scenario is not None else None
    if outcome is not None:
        values |= outcome_values(outcome)
    total = overall(values, micro)
    ctx = Context(
        turns=rows,
        mentor=mentor,
        micro=micro,
        parts={c.metric: c for c in total.components},
        engine=engine if tracked else None,
        state=state if tracked else None,
        framework=framework,
        scenario=scenario,
        outcome=outcome,
    )
    return Report(
        overall=total,
        metrics={name: metric(name, value) for name, value in values.items()},
        micro=micro,
        framework=framework,
        outcome=outcome,
        feedback=feedback(ctx),
        turns=len(rows),
    )


def annotate(
    raw: Sequence[tuple[str, str]],
    *,
    engine: FrameworkEngine | None,
    scenario: ScenarioSpec | None,
) -> tuple[list[Turn], FrameworkState | None]:
    """Turn (speaker, text) pairs into Turns: mentor turns coded (the mentee's previous turn as
    context), mentee turns read against the scenario, stages followed through the framework."""
    from server.coding import code_turn

    turns: list[Turn] = []
    context: str | None = None
    for index, (speaker, text) in enumerate(raw):
        if speaker not in SPEAKERS:
            raise ValueError(f"turn {index}: speaker must be 'mentor' or 'mentee', not {speaker!r}")
        if speaker == "mentor":
            coding = code_turn(text, context=context)
            turns.append(Turn(index=index, speaker="mentor", text=text, coding=coding))
        else:
            context = text
            turns.append(Turn(index=index, speaker="mentee", text=text))
    if scenario is not None:
        turns = infer_mentee(turns, scenario)
    if engine is None:
        return turns, None
    state, stages = replay(engine, turns)
    return [t.model_copy(update={"stage": s}) for t, s in zip(turns, stages, strict=True)], state
