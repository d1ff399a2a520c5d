"""The mentee's rules, one behaviour at a time, on the reference scenario (an FY2 after nights)."""

from __future__ import annotations

from collections.abc import Sequence

from server.frameworks import load_all as load_frameworks
from server.practice import PracticeState, start, take_turn
from server.scenarios import builtin_dir, load_file
from server.transcript import Turn

FY2 = load_file(builtin_dir() / "fy2-nights-exhaustion.yaml")
GROW = load_frameworks()["grow"]


def talk(lines: Sequence[str], seed: int = 0) -> tuple[PracticeState, list[Turn]]:
    state, opening = start(FY2, GROW, seed)
    history = [opening]
    for line in lines:
        outcome = take_turn(FY2, GROW, state, history, line)
        state = outcome.state
        history += [outcome.mentor, outcome.mentee]
    return state, history


def acts(history: Sequence[Turn]) -> list[str]:
    return [t.mentee.act for t in history[1:] if t.mentee]


LISTENING = [
    "What's been going on?",
    "It sounds like the nights were relentless, with the bleep never stopping.",
    "How have your days off been?",
    "You can't get your sleep back, and the days off just vanish.",
]


def test_an_open_question_earns_a_surface_unit() -> None:
    _, history = talk(["What's been going on for you?"])
    note = history[-1].mentee
    assert note is not None and note.act == "disclose" and note.depth == 1
    assert note.units and note.units[0] in {u.id for u in FY2.layers.surface}


def test_the_topic_asked_about_is_the_unit_disclosed() -> None:
    _, history = talk(["What's the drive home like?"])
    note = history[-1].mentee
    assert note is not None and note.units == ["commute"]


def test_a_reflection_that_misses_is_corrected_and_restated() -> None:
    _, history = talk(["What's been going on?", "So you're furious with your consultant."])
    reply = history[-1]
    assert reply.mentee is not None and reply.mentee.act == "correct"
    assert any(reply.text.startswith(line) for line in FY2.corrections)
    earlier = history[-3].mentee
    assert earlier is not None
    unit = next(u for u in FY2.layers.surface if u.id == earlier.units[0])
    assert any(line in reply.text for line in unit.lines)


def test_listening_earns_trust_and_the_deeper_layer() -> None:
    state, _history = talk(LISTENING)
    assert state.mentee.trust > FY2.difficulty.trust
    assert state.mentee.depth >= 2


def test_a_summary_is_confirmed_and_completed() -> None:
    said = [
        *LISTENING,
        "So far: the seven nights, the bleep, no sleep on your days off, and the "
        "days just disappearing.",
    ]
    _, history = talk(said)
    note = history[-1].mentee
    assert note is not None and note.act == "confirm" and note.units


def test_advice_costs_trust_and_shuts_the_deeper_layers_until_listening_returns() -> None:
    state, history = talk([*LISTENING[:2], "You should just ask for fewer nights."])
    assert acts(history)[-1] in {"yes_but", "comply", "withdraw"}
    before = history[-3].mentee
    after = history[-1].mentee
    assert before is not None and after is not None and after.trust < before.trust
    assert state.mentee.shut > 0
    state, history = talk(
        [*LISTENING[:2], "You should just ask for fewer nights.", "Tell me about your friends."]
    )
    assert all(u in {x.id for x in FY2.layers.surface} for u in history[-1].mentee.units)  # type: ignore[union-attr]


def test_options_before_the_story_is_heard_are_not_there_yet() -> None:
    _, history = talk(["What could you do about it?"])
    note = history[-1].mentee
    assert note is not None and note.act == "not_ready" and not note.options


def test_goals_options_and_commitment_come_in_order_when_asked_well() -> None:
    lines = [
        *LISTENING,
        "It sounds like there's nothing left for the rest of your life.",
        "What's the hardest part of that?",
        "So, the nights, no sleep, missing your friends, and the fear of a mistake.",
        "What would you like to be different?",
        "What could you do?",
        "What else could you do?",
        "What will you do, and by when?",
        "On a scale of 0 to 10, how confident are you?",
    ]
    state, history = talk(lines)
    got = acts(history)
    assert "goal" in got and got.count("option") >= 2 and "commit" in got
    assert got.index("goal") < got.index("option") < got.index("commit")
    assert state.mentee.committed and state.mentee.confidence == FY2.commitment.confidence
    assert history[-1].mentee is not None and history[-1].mentee.scale == FY2.commitment.confidence


def test_bait_comes_after_its_turn_and_can_be_handed_back() -> None:
    chat = [*LISTENING, "What's that like for you?", "How do you cope?", "What else is hard?"]
    _, history = talk(chat)
    baited = [t for t in history if t.mentee and t.mentee.bait]
    assert baited and baited[0].index // 2 >= FY2.bait[0].after_turn
    assert any(line in baited[0].text for line in FY2.bait[0].lines)


def test_a_risk_cue_explored_then_signposted() -> None:
    chat = [*LISTENING, "It sounds like you've got nothing left in the tank.", "Say more."]
    _, history = talk(chat)
    shown = [t for t in history if t.mentee and t.mentee.risk_cue]
    assert shown, "the cue shows once its turn has come and trust allows"
    cue = FY2.risk_cues[0]
    assert any(line in shown[0].text for line in cue.lines)
    _, history = talk(
        [
            *chat[: shown[0].index // 2],
            "That sounds really frightening. What happened?",
            "Would you consider speaking to occupational health or your GP about it?",
        ]
    )
    assert acts(history)[-2:] == ["explore_risk", "accept_signpost"]
    assert history[-3].text in cue.explored_lines


def test_the_mentee_never_counsels_back_and_stays_short() -> None:
    _, history = talk([*LISTENING, "What would you do?", "Any advice for me?"])
    for turn in history:
        sentences = [s for s in turn.text.replace("?", ".").replace("!", ".").split(". ") if s]
        assert 1 <= len(sentences) <= 4 or turn.index == 0, turn.text
        assert "you should" not in turn.text.lower()
