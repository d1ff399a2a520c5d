"""The rules of the risk check, one behaviour each: levels, negation scope, whose risk, idiom."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.datafiles import DataFileError
from server.safety import RiskResult, check_risk
from server.safety.concepts import CONCEPTS_FILE, load_concepts
from server.safety.lexicon import LEXICON_FILE, load_lexicon


def risk(text: str) -> str:
    return check_risk(text).risk


@pytest.mark.parametrize(
    "text",
    ["I just want to not wake up", "I wish I was dead", "I've been stockpiling my meds",
     "I've been cutting again", "thinking of ending it all"],
)  # fmt: skip
def test_death_wish_plans_means_and_self_harm_are_high(text: str) -> None:
    assert risk(text) == "high"


@pytest.mark.parametrize(
    "text",
    ["Everyone would be better off without me", "I can't go on like this",
     "I don't see the point of anything any more", "I'm not coping at all"],
)  # fmt: skip
def test_hopelessness_burden_and_not_coping_are_possible(text: str) -> None:
    assert risk(text) == "possible"


def test_reasons_name_the_category_and_the_words() -> None:
    result = check_risk("I've been thinking of ending it")
    assert result == RiskResult(
        risk="high", reasons=["explicit suicidal ideation: 'thinking of ending it'"]
    )


def test_a_denial_is_none_and_says_it_was_negated() -> None:
    result = check_risk("I'm not suicidal, just tired")
    assert result.risk == "none"
    assert result.reasons == ["negated: 'suicidal'"]


def test_negation_stops_at_the_clause_boundary() -> None:
    assert risk("I'm not suicidal but everyone would be better off without me") == "possible"
    assert risk("I haven't slept and I want to die") == "high"


def test_negation_does_not_reach_over_a_new_clause_it_does_not_govern() -> None:
    assert risk("I never told anyone I feel suicidal") == "high"
    assert risk("I don't think I'd ever kill myself") == "none"


def test_a_pattern_that_carries_its_own_negation_survives_i_do_not_think() -> None:
    assert risk("I don't think anyone would miss me") == "possible"


def test_a_negation_just_after_a_question_counts() -> None:
    assert risk("Kill myself? No.") == "none"


def test_someone_elses_risk_is_not_the_writers() -> None:
    assert risk("My friend wants to kill herself") == "none"
    assert risk('She said "I want to die" and walked out') == "none"
    assert risk("Have you had thoughts of suicide?") == "none"


def test_the_writer_speaking_of_themselves_beside_a_patient_still_counts() -> None:
    assert risk("My patient died today and I want to die too") == "high"
    assert risk("Feeling hopeless since my patient died") == "possible"


def test_clinical_talk_is_switched_off_with_a_reason() -> None:
    result = check_risk("Took an overdose of paracetamol, presented to A&E")
    assert result.risk == "none"
    assert result.reasons and result.reasons[0].startswith("clinical context:")


def test_clinical_objects_switch_off_even_in_the_first_person() -> None:
    assert risk("I did a self-harm assessment in ED") == "none"
    assert risk("I took an overdose history") == "none"


@pytest.mark.parametrize(
    "text",
    ["I'm knackered", "I could murder a cup of tea", "this rota is killing me",
     "I'm dying to get home", "I killed myself laughing", "I cut myself shaving"],
)  # fmt: skip
def test_british_idiom_is_none(text: str) -> None:
    assert risk(text) == "none"


def test_the_past_lowers_high_to_possible() -> None:
    result = check_risk("I used to self-harm when I was a teenager")
    assert result.risk == "possible"
    assert "(in the past)" in result.reasons[0]


def test_spelling_variants_and_curly_quotes_are_read_alike() -> None:
    assert (
        risk("i dont want to live anymore") == risk("I don\u2019t want to live any more") == "high"
    )
    assert risk("I CAN'T GO ON") == "possible"


def test_empty_text_is_none() -> None:
    assert check_risk("") == RiskResult(risk="none", reasons=[])


def test_the_built_in_lexicon_loads() -> None:
    assert len(load_lexicon(LEXICON_FILE).patterns) > 50


def test_a_broken_lexicon_names_the_file_and_the_key(tmp_path: Path) -> None:
    text = LEXICON_FILE.read_text(encoding="utf-8").replace(
        "category: burden, subject: any, regex: 'better off",
        "category: burdne, subject: any, regex: 'better off",
        1,
    )
    broken = tmp_path / "lexicon.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"lexicon\.yaml: patterns\[\d+\]\.category: unknown category 'burdne'"
    ):
        load_lexicon(broken)


def test_the_concept_layer_catches_phrasings_no_pattern_foresaw() -> None:
    assert risk("I feel so alone and I can't see how this ends") == "possible"
    assert risk("I'm completely broken") == "possible"
    assert risk("There's a spot on the cliffs I keep going back to") == "high"
    assert risk("I wrote a note and put it in my bag") == "high"


def test_a_mentor_asking_or_reflecting_is_not_the_writers_risk() -> None:
    assert risk("Are you having thoughts of ending your life?") == "none"
    assert risk("It sounds like you feel you can't go on") == "none"
    assert risk("So part of you wants to disappear") == "none"


def test_subject_less_fragments_speak_for_the_writer() -> None:
    assert risk("Can't go on.") == "possible"
    assert risk("Don't want to wake up.") == "high"


def test_a_joke_about_a_trivial_target_is_none() -> None:
    assert risk("I'm falling apart at the seams with all these deadlines haha") == "none"
    assert risk("The printer has died again, I want to throw it off a bridge") == "none"


def test_the_cue_fallback_needs_more_than_one_cue_and_no_third_person() -> None:
    assert risk("I'm exhausted") == "none"
    assert risk("She feels so alone and can't see how this ends") == "none"


def test_no_chance_and_no_way_deny_what_follows() -> None:
    assert risk("There's no chance I'd take an overdose") == "none"
    assert risk("There's no way I would kill myself") == "none"
    assert risk("There's no way out") == "possible"


def test_a_broken_concepts_file_names_the_file_and_the_family(tmp_path: Path) -> None:
    text = CONCEPTS_FILE.read_text(encoding="utf-8").replace("  burden:\n", "  burdne:\n", 1)
    broken = tmp_path / "concepts.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"concepts\.yaml: families: missing burden"):
        load_concepts(broken)


@pytest.mark.parametrize(
    "text",
    ["Have you had any thoughts of harming yourself or ending your life?",
     "I'm wondering whether things have felt hopeless lately?",
     "When you say you can't go on, what does that look like?",
     "Thoughts of suicide can be really frightening to talk about.",
     "I'm going to ask about self-harm next."],
)  # fmt: skip
def test_a_trainee_mentor_asking_about_risk_is_none(text: str) -> None:
    assert risk(text) == "none"
