"""The exemplar conversation: in the "good" band on every built-in scenario and framework, reaching
the core and a commitment, never advising, answering risk cues, deterministic, and scored exactly
as `empowerer score` scores the same words.

Each (scenario, framework) is run once per module (cached): every scenario with every framework
(about 0.2 s each; the figures are printed by `benchmarks/exemplar_scores.py`).
"""

from __future__ import annotations

from functools import cache

import pytest

from server.coding.labels import Code
from server.exemplar import Exemplar, run_exemplar
from server.exemplar.run import score_transcript
from server.frameworks import FrameworkEngine
from server.frameworks import load_all as load_frameworks
from server.scenarios import ScenarioSpec
from server.scenarios import load_all as load_scenarios
from server.scoring import annotate, build_report
from server.scoring.micro import has_advice


@cache
def scenarios() -> dict[str, ScenarioSpec]:
    return load_scenarios()


@cache
def frameworks() -> dict[str, FrameworkEngine]:
    return load_frameworks()


@cache
def exemplar(scenario: str, framework: str, seed: int = 0) -> Exemplar:
    return run_exemplar(scenarios()[scenario], frameworks()[framework], seed=seed)


def _cases() -> list[tuple[str, str]]:
    return [(s, f) for f in sorted(load_frameworks()) for s in sorted(load_scenarios())]


CASES = _cases()


@pytest.mark.parametrize(("scenario", "framework"), CASES)
def test_exemplar_is_in_the_good_band(scenario: str, framework: str) -> None:
    report = exemplar(scenario, framework).report
    assert report.overall.band.value == "good", (report.overall.score, report.feedback[:1])


@pytest.mark.parametrize(("scenario", "framework"), CASES)
def test_exemplar_reaches_the_core_and_a_commitment_and_never_advises(
    scenario: str, framework: str
) -> None:
    ex = exemplar(scenario, framework)
    notes = [t.mentee for t in ex.turns if t.mentee is not None]
    assert max(n.depth for n in notes) == 3
    assert any(n.committed for n in notes)
    for turn in ex.turns:
        if turn.speaker == "mentor":
            assert turn.coding is not None
            assert not has_advice(turn.coding), turn.text
            assert not turn.coding.has(Code.ROADBLOCK), turn.text
    assert ex.report.framework is not None and ex.report.framework.reached_final
    assert ex.report.framework.skipped == []


@pytest.mark.parametrize("framework", ["grow", "egan", "clear", "oskar"])
def test_a_high_risk_cue_is_explored_asked_directly_and_signposted(framework: str) -> None:
    ex = exemplar("anaesthetics-trainee-dark-thoughts", framework)
    assert ex.report.outcome is not None
    assert [r.status for r in ex.report.outcome.risk] == ["signposted"]
    mentor = " ".join(t.text for t in ex.turns if t.speaker == "mentor")
    assert "ending your life" in mentor or "suicide" in mentor
    assert "116 123" in mentor and "GP" in mentor
    moves = [m.move for a in ex.annotations for m in a.moves]
    assert {"explore_risk", "direct_risk", "signpost"} <= set(moves)


def test_a_request_for_advice_is_handed_back() -> None:
    ex = exemplar("fy2-nights-exhaustion", "grow")
    baits = [t.index for t in ex.turns if t.mentee is not None and t.mentee.bait]
    assert baits
    answer = next(t for t in ex.turns if t.index == baits[0] + 1)
    assert answer.coding is not None and answer.coding.has(Code.OPEN_QUESTION)
    assert not has_advice(answer.coding)
    moves = {m.move for a in ex.annotations for m in a.moves if m.turn == answer.index}
    assert "handback" in moves


def test_the_report_is_the_session_report_of_the_live_conversation() -> None:
    ex = exemplar("gp-drinking", "clear")
    engine, scenario = frameworks()["clear"], scenarios()["gp-drinking"]
    again = build_report(
        ex.turns, engine=engine, scenario=scenario, framework_state=ex.framework_state
    )
    assert again.model_dump(mode="json") == ex.report.model_dump(mode="json")
    assert ex.report.outcome is not None and ex.report.outcome.trust_source == "mentee"


@pytest.mark.parametrize(
    ("scenario", "framework"),
    [("gp-drinking", "clear"), ("fy1-self-doubt", "egan"), ("nurse-long-covid", "oskar")],
)
def test_empowerer_score_of_the_same_words_is_good_too(scenario: str, framework: str) -> None:
    ex = exemplar(scenario, framework)
    engine, spec = frameworks()[framework], scenarios()[scenario]
    rescored = score_transcript(ex.turns, engine, spec)
    turns, state = annotate([(t.speaker, t.text) for t in ex.turns], engine=engine, scenario=spec)
    same = build_report(turns, engine=engine, scenario=spec, framework_state=state)
    assert rescored.model_dump(mode="json") == same.model_dump(mode="json")
    assert rescored.overall.band.value == "good"


def test_the_exemplar_is_deterministic() -> None:
    first = exemplar("nurse-long-covid", "oskar")
    again = run_exemplar(scenarios()["nurse-long-covid"], frameworks()["oskar"], seed=0)
    assert [t.text for t in again.turns] == [t.text for t in first.turns]
    assert again.report.model_dump(mode="json") == first.report.model_dump(mode="json")


def test_another_seed_gives_another_conversation_still_good() -> None:
    other = exemplar("fy2-nights-exhaustion", "grow", seed=3)
    base = exemplar("fy2-nights-exhaustion", "grow")
    assert [t.text for t in other.turns] != [t.text for t in base.turns]
    assert other.report.overall.band.value == "good"


@pytest.mark.parametrize("framework", ["grow", "egan", "clear", "oskar"])
def test_annotations_cover_every_stage_visit_with_reasons(framework: str) -> None:
    ex = exemplar("staff-nurse-new-manager", framework)
    engine = frameworks()[framework]
    visits = ex.framework_state.visits
    assert [a.stage for a in ex.annotations] == [v.stage for v in visits]
    assert all(a.title == engine.title(a.stage) for a in ex.annotations)
    mentor = {t.index for t in ex.turns if t.speaker == "mentor"}
    noted = {m.turn for a in ex.annotations for m in a.moves}
    assert noted == mentor
    assert all(m.why for a in ex.annotations for m in a.moves)
    first = ex.annotations[0].moves[0]
    assert first.move == "contract"
    for later in ex.annotations[1:]:
        opening = [m.move for m in later.moves if m.turn == later.from_turn]
        assert "summary" in opening
        assert {"structuring", "back"} & set(opening)
    questions = sum(m.move not in _LISTENING for a in ex.annotations for m in a.moves)
    assert questions > 0


_LISTENING = {
    "contract",
    "simple_reflection",
    "complex_reflection",
    "summary",
    "structuring",
    "back",
    "affirmation",
    "signpost",
}


def test_stage_tasks_follow_the_framework_signals() -> None:
    from server.exemplar.policy import stage_tasks

    grow = frameworks()["grow"]
    assert stage_tasks(grow, "goal") == ("contract", "goal")
    assert stage_tasks(grow, "reality") == ("listen",)
    assert stage_tasks(grow, "options") == ("options", "choice")
    assert stage_tasks(grow, "will")[-1] == "review"
    oskar = frameworks()["oskar"]
    assert stage_tasks(oskar, "outcome") == ("contract", "listen", "goal")
    assert stage_tasks(oskar, "scaling") == ("scale", "scale_why")
    assert stage_tasks(oskar, "knowhow") == ("resources",)
