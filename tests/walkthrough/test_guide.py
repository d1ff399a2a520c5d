"""The program as mentor: every framework walked end to end gives the user's own plan."""

from __future__ import annotations

from datetime import date

import pytest

from server.frameworks import FrameworkEngine, load_all
from server.walkthrough import (
    answer,
    back,
    pause,
    pause_for_support,
    resume,
    skip,
    start,
    to_ics,
    to_markdown,
)
from server.walkthrough.model import WalkState

TODAY = date(2026, 11, 23)  # a Monday
ENGINES = load_all()
ANSWERS = {
    "goal": "I want to leave work on time at least three days a week.",
    "options": "I could ask the consultant to start the ward round earlier, or share the "
    "discharge letters with the FY1s, or block out admin time",
    "choice": "Asking the consultant about the ward round start time.",
    "step": "I'll ask Dr Patel about the ward round start time on Friday.",
    "confidence": "About a 7 out of 10.",
    "support": "My partner and my educational supervisor.",
    "none": "Most nights I stay until eight because the ward round runs late and letters pile up.",
}
ADVICE_WORDS = (
    "you should",
    "why don't you",
    "you could try",
    "you need to",
    "i would",
    "if i were you",
)


def walk(engine: FrameworkEngine, limit: int = 60) -> tuple[WalkState, list[str]]:
    state, prompt = start(engine)
    said = [prompt.text]
    for _ in range(limit):
        if state.status != "active":
            break
        assert state.pending is not None
        state, prompt = answer(engine, state, ANSWERS[state.pending.field], TODAY)
        said.append(prompt.text)
    return state, said


@pytest.mark.parametrize("fid", sorted(ENGINES))
def test_walked_end_to_end_gives_a_plan_with_every_field(fid: str) -> None:
    engine = ENGINES[fid]
    state, _ = walk(engine)
    assert state.status == "finished"
    plan = state.plan
    assert plan.goal == "I want to leave work on time at least three days a week"
    assert plan.options
    assert plan.steps and plan.steps[0].due == date(2026, 11, 27)
    assert plan.confidence == 7
    assert plan.support == "My partner and my educational supervisor"
    assert plan.missing() == []
    assert [v.stage for v in state.position.visits] == engine.stage_ids


@pytest.mark.parametrize("fid", sorted(ENGINES))
def test_it_asks_the_frameworks_questions_reflects_and_never_advises(fid: str) -> None:
    engine = ENGINES[fid]
    state, said = walk(engine)
    canonical = {q for step in engine.steps.values() for q in step.questions}
    asked = {a.question for a in state.answers}
    assert len(asked & canonical) >= len(engine.stage_ids)
    assert any("you stay until eight" in line for line in said)  # said back in the second person
    assert sum("Let me sum up" in line for line in said) >= len(engine.stage_ids) - 1
    for line in said:
        assert not any(phrase in line.lower() for phrase in ADVICE_WORDS), line


def test_back_skip_pause_and_resume() -> None:
    grow = ENGINES["grow"]
    state, _ = start(grow)
    state, _ = answer(grow, state, ANSWERS["goal"], TODAY)
    state, prompt = skip(grow, state)
    assert state.position.stage == "reality" and "Reality" in prompt.text
    state, prompt = back(grow, state)
    assert state.position.stage == "goal"
    pending = state.pending
    state, prompt = pause(grow, state)
    assert state.status == "paused" and prompt.kind == "paused"
    with pytest.raises(ValueError, match="paused"):
        answer(grow, state, "more", TODAY)
    restored = WalkState.model_validate_json(state.model_dump_json())
    state, prompt = resume(grow, restored)
    assert state.status == "active" and state.pending == pending
    assert pending is not None and pending.text in prompt.text
    with pytest.raises(ValueError, match="first stage"):
        back(grow, state)


def test_a_stage_is_not_left_before_its_purpose_is_met() -> None:
    grow = ENGINES["grow"]
    state, _ = start(grow)
    for _ in range(2):
        state, _ = answer(grow, state, ANSWERS["none"], TODAY)
    state, _ = answer(grow, state, ANSWERS["none"], TODAY)
    assert state.position.stage in ("goal", "reality")
    while state.position.stage != "options":
        state, _ = answer(
            grow, state, ANSWERS[state.pending.field if state.pending else "none"], TODAY
        )
    state, prompt = answer(grow, state, "Maybe talk to someone", TODAY)
    assert state.position.stage == "options"  # one option is not yet "options explored"
    assert "else" in prompt.text.lower()


def test_support_pause_keeps_nothing_of_what_was_written() -> None:
    grow = ENGINES["grow"]
    state, _ = start(grow)
    state, prompt = pause_for_support(grow, state)
    assert state.status == "support" and prompt.kind == "support"
    assert state.answers == [] and state.support_shown == 1
    state, prompt = resume(grow, state)
    assert state.status == "active"


def test_markdown_and_ics_carry_the_plan() -> None:
    state, _ = walk(ENGINES["grow"])
    md = to_markdown(state.plan, "GROW", TODAY)
    for part in ("# My plan (GROW", "## Goal", "leave work on time", "## My steps",
                 "by Friday 27 November 2026", "7 out of 10", "educational supervisor"):  # fmt: skip
        assert part in md
    ics = to_ics(state.plan, "walk-1")
    assert ics is not None
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20261127" in ics
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    unfolded = ics.replace("\r\n ", "")
    assert (
        "SUMMARY:First step: I'll ask Dr Patel about the ward round start time on Friday"
        in unfolded
    )
