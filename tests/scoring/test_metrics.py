"""Hand-built transcripts with known counts give exactly those metrics."""

from __future__ import annotations

import pytest
from scoring_builders import framework, turns

from server.scoring import build_report
from server.scoring.facts import asks_permission
from server.scoring.micro import WORD, words


def test_counts_ratios_and_talk_share_follow_the_counting_rules() -> None:
    report = build_report(
        turns(
            "one two three four five six seven eight nine ten",
            ("What happened", "open"),
            "a b c d e f g h i j",
            ("You sound tired", "refl"),
            "a b c d e",
            ("You feel nobody notices and it matters", "crefl"),
            "a b c d e",
            ("Did you tell anyone Was it bad", "closed closed"),
            "no",
            ("So the nights the exam and home", "summary"),
            "yes",
            ("You should talk to HR", "advice"),
            "hm",
            ("Don't worry", "roadblock"),
            "ok",
            ("Hi there", "other"),
        )
    )
    m = report.micro
    assert (m.mentor_turns, m.coded_turns, m.substantive_turns) == (8, 8, 7)
    assert (m.questions, m.open_questions, m.closed_questions, m.stacked_questions) == (2, 1, 1, 1)
    assert (m.reflections, m.complex_reflections, m.summaries) == (3, 2, 1)
    assert (m.advice.total, m.roadblocks, m.directive_turns) == (1, 1, 2)
    assert m.advice.premature is None  # no framework
    assert m.counts["closed_question"] == 1 and m.counts["reflection"] == 2
    assert (m.mentor_words, m.mentee_words) == (35, 34)
    values = {k: v.value for k, v in report.metrics.items()}
    assert values["reflection_to_question"] == 1.5
    assert values["percent_open_questions"] == 50.0
    assert values["percent_complex_reflections"] == 66.67
    assert values["percent_stacked_questions"] == 50.0
    assert values["advice_roadblock_rate"] == 28.57
    assert values["mentor_talk_share"] == 50.72
    bands = {k: v.band for k, v in report.metrics.items()}
    assert bands["reflection_to_question"] == "fair"
    assert bands["percent_open_questions"] == "fair"
    assert bands["percent_complex_reflections"] == "good"
    assert bands["advice_roadblock_rate"] == "needs_practice"
    assert report.metrics["percent_open_questions"].source.startswith("MITI 3.1.1")
    assert report.metrics["reflection_to_question"].source.startswith("MITI 4.2.1")
    assert report.metrics["mentor_talk_share"].source.startswith("Empowerer")
    assert report.framework is None and report.outcome is None


def test_no_questions_gives_null_metrics_not_a_crash() -> None:
    report = build_report(turns("I'm tired.", ("You're tired.", "refl"), "Yes."))
    for name in ("reflection_to_question", "percent_open_questions", "percent_stacked_questions"):
        assert report.metrics[name].value is None
        assert report.metrics[name].band is None
    assert 0 <= report.overall.score <= 100


def test_an_empty_or_uncoded_transcript_scores_zero_without_error() -> None:
    assert build_report([]).overall.score == 0
    report = build_report(turns("Hello."))
    assert report.overall.band == "needs_practice"
    assert report.metrics["advice_roadblock_rate"].value is None


def test_advice_after_asking_permission_is_credited() -> None:
    report = build_report(
        turns(
            "I don't know what to do.",
            ("Would it help if I shared what others have tried?", "closed"),
            "Yes please.",
            ("Some people book their leave early.", "advice"),
            "Okay.",
            ("You should just book leave.", "advice"),
        )
    )
    a = report.micro.advice
    assert (a.total, a.with_permission, a.permission_asked) == (2, 1, 1)
    assert report.micro.directive_turns == 1


def test_premature_advice_is_advice_said_before_the_first_action_stage() -> None:
    grow = framework("grow")
    report = build_report(
        turns(
            "Hi.",
            ("What would you like from today?", "open", "goal"),
            "Sleep.",
            ("You should book leave.", "advice"),  # in Goal: premature
            "Maybe.",
            ("What's been happening?", "open", "story"),
            "Nights.",
            ("What could you do?", "open", "options"),  # refused: the story is not heard
            "Dunno.",
        ),
        engine=grow,
    )
    assert report.micro.advice.premature == 1
    fw = report.framework
    assert fw is not None
    assert [s.stage for s in fw.timeline] == ["goal", "reality"]
    assert [s.mentor_turns for s in fw.timeline] == [2, 2]
    assert [(r.turn, r.dest, r.guard) for r in fw.refused] == [(7, "options", "story_heard")]
    assert fw.reached_final is False
    assert report.metrics["premature_advice"].band == "fair"
    assert report.metrics["refused_moves"].value == 1


def test_a_bare_follow_up_to_signposting_is_not_advice() -> None:
    from server.coding.labels import Code, CodedTurn, CodeHit

    text = "It might help to talk to occupational health. Would you consider that?"
    coding = CodedTurn(
        primary=Code.SIGNPOSTING,
        codes=(
            CodeHit(code=Code.SIGNPOSTING, span=(0, 45), evidence=text[:45]),
            CodeHit(code=Code.ADVICE, detail="disguised", span=(46, 70), evidence=text[46:]),
        ),
    )
    rows = turns("I nearly crashed.", (text, "signpost"))
    rows[1] = rows[1].model_copy(update={"coding": coding})
    report = build_report(rows)
    assert report.micro.advice.total == 0 and report.micro.signposting == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "don't stop",
        "it’s fine, isn’t it?",
        "it's9 a'b'c 'quoted' ''  mentees' rock'n'roll",
        "café — naïve 3rd-year x1'y2",
        "tabs\tand\nnew lines\u2028too",
    ],
)
def test_words_counts_the_matches_of_the_word_pattern(text: str) -> None:
    assert words(text) == len(WORD.findall(text))


@pytest.mark.parametrize(
    "text",
    [
        "Would it help if I shared an idea?",
        "COULD I OFFER a thought?",
        "Might I suggest something?",
        "Would you like to hear what others do?",
        "Is it okay for me to mention one thing?",
        "Would it be alright if I added something?",
        "Do you mind if I share something?",
        "Are you open to hearing an idea?",
        "Would you lıke some ideas?",  # dotless i: the regex still matches, so no shortcut
    ],
)
def test_permission_is_asked_in_each_phrasing(text: str) -> None:
    assert asks_permission(text, None)


def test_a_turn_with_no_permission_word_does_not_ask() -> None:
    assert not asks_permission("What happened next?", None)
