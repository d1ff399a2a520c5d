"""Every scenario, driven by mentors written for the tests (not the gate's): listening and asking
opens the mentee up to a commitment; advice and interrogation do not. Plus the gate itself."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from independent_mentors import adviser, converse, deepest, listener, quizzer

from server.frameworks import FrameworkEngine
from server.frameworks import load_all as load_frameworks
from server.mentee.gate import GATE_FRAMEWORK, run_gate
from server.scenarios import load_all
from server.transcript import Turn

SCENARIOS = load_all()
IDS = sorted(SCENARIOS)
FRAMEWORKS = load_frameworks()


def engine(name: str = "grow") -> FrameworkEngine:
    return FRAMEWORKS[name]


def committed(turns: Sequence[Turn]) -> bool:
    return any(t.mentee is not None and t.mentee.committed for t in turns)


@pytest.mark.parametrize("sid", IDS)
@pytest.mark.parametrize("framework", ["grow", "egan"])
def test_a_listening_mentor_reaches_the_core_and_a_dated_commitment(
    sid: str, framework: str
) -> None:
    scenario = SCENARIOS[sid]
    turns = converse(scenario, engine(framework), listener, seed=3)
    assert deepest(turns) == 3
    commitment = next(t for t in turns if t.mentee is not None and t.mentee.committed)
    assert commitment.text.rstrip(".") in {line.rstrip(".") for line in scenario.commitment.lines}
    own = {o for t in turns if t.mentee for o in t.mentee.options}
    assert own, "the commitment came after options of their own"


@pytest.mark.parametrize("sid", IDS)
def test_an_advice_giver_gets_no_further_than_the_surface(sid: str) -> None:
    turns = converse(SCENARIOS[sid], engine(), adviser, seed=3)
    assert deepest(turns) <= 1
    assert not committed(turns)
    first = turns[0].mentee
    last = [t.mentee for t in turns if t.mentee][-1]
    assert first is not None and last is not None and last.trust < first.trust
    acts = {t.mentee.act for t in turns if t.mentee}
    assert acts & {"yes_but", "comply", "withdraw"}


@pytest.mark.parametrize("sid", IDS)
def test_closed_questions_get_short_answers_and_never_the_core(sid: str) -> None:
    turns = converse(SCENARIOS[sid], engine(), quizzer, seed=3)
    assert deepest(turns) < 3
    assert not committed(turns)
    answers = [
        reply.mentee.act
        for asked, reply in itertools.pairwise(turns)
        if asked.coding and asked.coding.primary.value == "closed_question" and reply.mentee
    ]
    assert len(answers) >= 8
    assert set(answers) == {"short_answer"}
    assert all(len(t.text.split()) <= 12 for t in turns[2::2])


@pytest.mark.parametrize("sid", IDS)
def test_quality_gate_passes(sid: str) -> None:
    assert run_gate(SCENARIOS[sid], engine(GATE_FRAMEWORK)) == []
