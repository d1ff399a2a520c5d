"""The mentee's reply fits what the mentor actually said: corrections deny only what was raised,
"yes, but" answers the advice given, short answers fit the question's form, risk questions get a
straight answer, early signposting gets no crisis plan, back-channels and off-topic questions
are taken as they are. Run over every scenario where the rule is general."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import pytest

from server.frameworks import load_all as load_frameworks
from server.mentee.fit import correction_fits, denied_stems, topic_overlap
from server.mentee.glue import GLUE, glue_candidates
from server.mentee.words import stems_of
from server.practice import start, take_turn
from server.scenarios import ScenarioSpec
from server.scenarios import load_all as load_scenarios
from server.transcript import Turn

GROW = load_frameworks()["grow"]


@cache
def scenarios() -> dict[str, ScenarioSpec]:
    return load_scenarios()


IDS = sorted(scenarios())


def talk(scenario: ScenarioSpec, lines: Sequence[str], seed: int = 0) -> list[Turn]:
    state, opening = start(scenario, GROW, seed)
    history = [opening]
    for line in lines:
        outcome = take_turn(scenario, GROW, state, history, line)
        state = outcome.state
        history += [outcome.mentor, outcome.mentee]
    return history


def pairs(history: Sequence[Turn]) -> list[tuple[Turn, Turn]]:
    return [(history[i], history[i + 1]) for i in range(1, len(history) - 1, 2)]


MISSES = [
    "What's been going on?",
    "You sound really angry about it all.",
    "So it's really about your partner.",
    "It sounds like you hate the job.",
    "So what's really going on is money.",
    "You sound depressed.",
    "It sounds like the car park is the real trouble.",
]


@pytest.mark.parametrize("sid", IDS)
def test_a_correction_denies_only_what_the_mentor_raised(sid: str) -> None:
    scenario = scenarios()[sid]
    for said, reply in pairs(talk(scenario, MISSES)):
        if reply.mentee is None or reply.mentee.act != "correct":
            continue
        for line in scenario.corrections:
            if line in reply.text:
                assert correction_fits(line, said.text), (said.text, line)


def test_a_correction_never_names_a_topic_nobody_raised() -> None:
    dark = scenarios()["anaesthetics-trainee-dark-thoughts"]
    history = talk(dark, ["What brings you here today?", "So it's the weather, mostly."])
    reply = history[-1]
    assert reply.mentee is not None and reply.mentee.act == "correct"
    assert "partner" not in reply.text and not any(c in reply.text for c in dark.corrections)
    assert any(reply.text.startswith(g) for g in glue_candidates("correct"))


def test_a_correction_that_fits_is_used() -> None:
    fy2 = scenarios()["fy2-nights-exhaustion"]
    history = talk(fy2, ["What's been going on?", "You sound really angry about it all."])
    assert "I'm not angry" in history[-1].text


def test_what_a_correction_denies() -> None:
    partner = denied_stems("It isn't really about my partner. That's sad, but...")
    assert partner == stems_of(["partner"])
    assert denied_stems("No, it's not the reg or the team. They're lovely.") == stems_of(
        ["reg team"]
    )
    assert denied_stems("It's not the reg. It's the nights themselves.") == stems_of(["reg"])


@pytest.mark.parametrize("sid", IDS)
def test_empathy_and_a_question_are_not_corrected(sid: str) -> None:
    scenario = scenarios()[sid]
    history = talk(
        scenario,
        [
            "What brings you here today?",
            "That sounds hard. How are you in yourself?",
            "So it's the weather, mostly. What's the hardest part?",
        ],
    )
    assert [r.mentee.act for _, r in pairs(history) if r.mentee].count("correct") == 0


ADVICE = [
    "What's going on?",
    "You should talk to your manager about it.",
    "Why don't you take some annual leave?",
    "Have you tried getting more sleep?",
    "You should go part time.",
    "My advice is to write it down and take it to your supervisor.",
    "Try exercising more, it really helps.",
]


@pytest.mark.parametrize("sid", IDS)
def test_a_yes_but_is_about_the_advice_given(sid: str) -> None:
    scenario = scenarios()[sid]
    for said, reply in pairs(talk(scenario, ADVICE)):
        if reply.mentee is None or reply.mentee.act != "yes_but":
            continue
        own = [line for line in scenario.yes_but if line in reply.text]
        for line in own:
            assert topic_overlap(line, said.text) >= 1, (said.text, line)
        if not own:
            assert reply.text in {*glue_candidates("yes_but"), *scenario.compliance}


CLOSED = [
    "Is this about work?",
    "How many hours do you do a week?",
    "When did this start?",
    "Did you report it?",
    "Is your family supportive?",
    "Would a change of job help?",
    "Where do you live?",
    "Is it getting worse?",
]
_YES_NO = re.compile(
    r"^(yes|yeah|no|nah|nope|not|sometimes|once|a bit|a little|sort of|kind of|maybe|aye)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("sid", IDS)
def test_short_answers_fit_the_question(sid: str) -> None:
    scenario = scenarios()[sid]
    for said, reply in pairs(talk(scenario, CLOSED)):
        assert reply.mentee is not None and reply.mentee.act == "short_answer", said.text
        text = reply.text
        if said.text.startswith(("How", "When", "Where")):
            assert not _YES_NO.match(text), (said.text, text)
        if said.text.startswith(("Is ", "Would ")):
            assert not re.search(r"\b(yet|once|twice)\b", text, re.IGNORECASE), (said.text, text)


@pytest.mark.parametrize("sid", IDS)
def test_asked_directly_about_risk_the_answer_is_straight(sid: str) -> None:
    scenario = scenarios()[sid]
    history = talk(
        scenario,
        [
            "What brings you here?",
            "That sounds like a lot. How are you in yourself?",
            "Some people feeling like this have thoughts of ending their life. "
            "Have you had thoughts of suicide?",
        ],
    )
    reply = history[-1]
    assert reply.mentee is not None
    if not scenario.risk_cues:
        assert reply.text in glue_candidates("risk_none")
    else:
        shown = reply.mentee.risk_cue is not None
        assert shown or reply.text in glue_candidates("risk_guarded")
    assert reply.mentee.act != "comply"


@pytest.mark.parametrize("sid", [s for s in IDS if scenarios()[s].signposting.needed])
def test_signposting_before_any_need_is_shown_gets_no_crisis_plan(sid: str) -> None:
    scenario = scenarios()[sid]
    history = talk(scenario, ["Hello. What brings you here?", "You should see your GP."])
    reply = history[-1]
    assert reply.text in glue_candidates("accept_early")
    assert not any(line in reply.text for line in scenario.signposting.accept_lines)


@pytest.mark.parametrize("sid", IDS)
def test_a_back_channel_invites_more_not_a_yes_or_an_okay(sid: str) -> None:
    scenario = scenarios()[sid]
    history = talk(scenario, ["What brings you here?", "ok", "and?", "mm", "yeah"])
    for said, reply in pairs(history)[1:]:
        assert reply.mentee is not None
        assert reply.mentee.act not in ("short_answer", "ack"), (said.text, reply.text)


@pytest.mark.parametrize("sid", IDS)
def test_an_off_topic_question_is_not_answered_with_the_story(sid: str) -> None:
    scenario = scenarios()[sid]
    history = talk(scenario, ["What brings you here?", "Which film genre do you prefer?"])
    reply = history[-1]
    assert reply.mentee is not None and not reply.mentee.units
    assert reply.text in {*glue_candidates("off_topic"), *glue_candidates("short_wh")}


def test_being_asked_what_they_want_of_the_mentor_is_not_advice() -> None:
    fy2 = scenarios()["fy2-nights-exhaustion"]
    history = talk(fy2, ["What brings you here?", "What do you think I'd say?"])
    reply = history[-1]
    assert reply.mentee is not None and reply.mentee.act not in ("yes_but", "comply", "withdraw")


def test_a_roadblock_gets_no_yes_but() -> None:
    fy2 = scenarios()["fy2-nights-exhaustion"]
    history = talk(
        fy2,
        [
            "What brings you here?",
            "Don't worry, everyone feels like this.",
            "When I was an FY2 I just got on with it.",
            "It'll all be fine in the end.",
        ],
    )
    assert all(r.mentee and r.mentee.act == "withdraw" for _, r in pairs(history)[1:])


def test_a_reflection_of_the_plan_is_agreed_with_not_dodged() -> None:
    fy2 = scenarios()["fy2-nights-exhaustion"]
    history = talk(
        fy2,
        [
            "What's been going on?",
            "It sounds like the nights were relentless, with the bleep never stopping.",
            "How have your days off been?",
            "You can't get your sleep back, and the days off just vanish.",
            "What else is going on outside work?",
            "You've missed your friends and family, and that hurts.",
            "What would you like to be different?",
            "What could you do?",
            "What else could you do?",
            "What will you do, and by when?",
            "So by Friday you'll have put your leave in.",
        ],
    )
    reply = history[-1]
    assert reply.mentee is not None and reply.mentee.act == "confirm", reply.text
    assert reply.text not in GLUE["hedge"]


def test_glue_lead_ins_read_as_speech() -> None:
    for kind in GLUE:
        for line in glue_candidates(kind):
            assert not re.search(r"\. [a-z]", line), line  # no lower case after a full stop
            assert not re.search(r", mm\b", line, re.IGNORECASE), line
    for line in glue_candidates("confirm"):
        assert not line.startswith("I don't know"), line


def test_a_scale_of_eight_reads_an_eight() -> None:
    from server.mentee.model import Act, Decision, Part, PartKind
    from server.mentee.phraser import candidates

    fy2 = scenarios()["fy2-nights-exhaustion"]
    part = Part(kind=PartKind.GLUE, ref="scale_confidence")
    lines = candidates(fy2, part, Decision(act=Act.SCALE, parts=[part], scale=8))
    assert "About an 8, I think." in lines and not any(" a 8" in line for line in lines)
