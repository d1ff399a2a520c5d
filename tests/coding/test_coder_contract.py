"""What callers of `code_turn` rely on: spans, evidence, determinism, the lexicon's labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from server.coding import PRIMARY_ORDER, Code, code_turn
from server.coding.lexicon import WordsFile, lexicon
from server.coding.text import segments
from server.frameworks.spec import Intent

TURNS = [
    "Hi. It sounds exhausting.   What would help?\n\nHave you tried asking for leave?",
    "So you feel stuck, is that right? Tell me more",
    "Dr. Patel said what, exactly?",
    "  ",
    "...",
    "I’m sorry – that’s awful, what happened next?",
    "Don't worry!!! You'll be fine :)",
    "e.g. the rota, the exam, etc. What else?",
]


@pytest.mark.parametrize("text", TURNS)
def test_every_hit_points_at_its_evidence(text: str) -> None:
    coded = code_turn(text, "I'm tired.")
    last_end = 0
    for hit in coded.codes:
        start, end = hit.span
        assert 0 <= start < end <= len(text)
        assert hit.evidence == text[start:end]
        assert hit.evidence == hit.evidence.strip()
        assert start >= last_end  # in order, not overlapping
        last_end = end


@pytest.mark.parametrize("text", TURNS)
def test_coding_is_deterministic(text: str) -> None:
    first = code_turn(text, "I'm tired.").to_json()
    assert all(code_turn(text, "I'm tired.").to_json() == first for _ in range(3))


def test_a_turn_with_no_words_is_other_with_no_hits() -> None:
    coded = code_turn("   ")
    assert coded.primary is Code.OTHER
    assert coded.codes == ()


def test_json_line_has_exactly_the_contract_keys() -> None:
    line = code_turn("You should talk to HR. What do you think?").to_json()
    assert list(line) == ["primary", "codes", "stage_intent", "suggestion"]
    assert line["primary"] == "advice"
    assert [set(hit) for hit in line["codes"]] == [{"code", "detail", "span", "evidence"}] * 2
    assert isinstance(line["codes"][0]["span"], list)


def test_stacked_questions_each_get_a_hit() -> None:
    coded = code_turn("What happened? Who was there? How did you feel?")
    assert [hit.code for hit in coded.codes] == [
        Code.OPEN_QUESTION,
        Code.CLOSED_QUESTION,
        Code.OPEN_QUESTION,
    ]


def test_primary_order_names_every_code_once() -> None:
    assert sorted(PRIMARY_ORDER) == sorted(Code)


def test_advice_outranks_a_question_in_the_same_turn() -> None:
    coded = code_turn("What do you think about it? Have you tried talking to her?")
    assert coded.primary is Code.ADVICE
    assert coded.has(Code.OPEN_QUESTION)


def test_context_decides_simple_or_complex() -> None:
    context = "I'm exhausted after the nights."
    assert code_turn("You're exhausted.", context).details(Code.REFLECTION) == ["simple"]
    assert code_turn("You're feeling let down.", context).details(Code.REFLECTION) == ["complex"]


def test_a_reassuring_roadblock_is_answered_with_the_mentees_feeling() -> None:
    coded = code_turn("Don't worry, it'll be fine.", "I'm so anxious about the ARCP.")
    assert coded.suggestion == "It sounds like you're feeling anxious."


def test_every_intent_has_cues_and_a_place_in_the_order() -> None:
    lex = lexicon()
    assert set(lex.intents) == set(Intent)
    assert sorted(lex.intent_order) == sorted(Intent)


def test_every_rule_and_suggestion_names_a_known_label() -> None:
    lex = lexicon()
    for rule in lex.before_questions + lex.after_questions:
        assert rule.code in set(Code)
    roadblock_details = {
        r.detail for r in lex.before_questions if r.code is Code.ROADBLOCK and r.detail
    }
    assert roadblock_details - {"reassuring"} <= set(lex.suggestions.roadblock)
    assert {"reflect_feeling", "reflect_default", "default"} <= set(lex.suggestions.roadblock)


def test_segments_split_sentences_and_tacked_on_questions() -> None:
    text = "I'm sorry to hear that, can you tell me more? Thanks."
    spans = [text[s.start : s.end] for s in segments(text, lexicon())]
    assert spans == ["I'm sorry to hear that,", "can you tell me more?", "Thanks."]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Did Dr. Smith see you? Yes."
    spans = [text[s.start : s.end] for s in segments(text, lexicon())]
    assert spans == ["Did Dr. Smith see you?", "Yes."]


def test_typos_and_american_spellings_are_read_as_the_cues_expect() -> None:
    assert code_turn("u shoud ask ur consultant").primary is Code.ADVICE
    assert code_turn("Have you thought about seeing a counselor?").primary is Code.SIGNPOSTING


def test_a_spelling_variant_must_be_one_word() -> None:
    """Variants are looked up among a text's words, so one of two words could never be found."""
    with pytest.raises(ValidationError, match="not one word"):
        WordsFile.model_validate({"variants": {"a lot": "many"}, "lists": {}})


def _case_heads() -> list[str]:
    cases = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))
    lex = lexicon()
    texts = [c["text"] for c in cases] + TURNS
    return [segment.head for text in texts for segment in segments(text, lex)]


def test_screening_by_the_cue_index_changes_no_rule_answer() -> None:
    """The coder searches a head only with the cue patterns the literal index names for it; on
    every hand-coded case, each rule answers as its whole regex does (a pattern the index cannot
    read, or one whose meaning changes when compiled alone, would show here)."""
    lex = lexicon()
    rules = (*lex.before_questions, *lex.after_questions)
    heads = _case_heads()
    assert len(heads) > 300
    matched = 0
    for head in heads:
        candidates = lex.cue_index.candidates(head)
        for rule in rules:
            screened = rule.matches(head, candidates)
            assert screened == rule.matches(head), (head, rule.code, rule.detail)
            matched += screened
    assert matched > len(heads) // 2  # the cases do exercise the rules
