"""The literal pre-filter (server/prefilter.py), as the risk check uses it: it may skip a regex
only when that regex cannot match the text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from server.prefilter import LiteralIndex, required, whole_words
from server.safety import RiskResult, check_risk
from server.safety.check import _screen
from server.safety.concepts import concept_hits, concepts
from server.safety.lexicon import lexicon
from server.safety.text import normalise

HERE = Path(__file__).resolve().parent


def _phrasings() -> list[str]:
    texts: list[str] = []
    assert list(HERE.glob("*.yaml")), f"no phrasing files beside {__file__}"
    for path in sorted(HERE.glob("*.yaml")):
        data: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts += [t for items in data.values() for t in items]
    return texts


def test_required_spells_out_a_small_alternation() -> None:
    assert required(r"(?<![\w-])kill(?:ing|ed)? myself(?![\w-])") == {
        "kill myself",
        "killing myself",
        "killed myself",
    }


def test_required_keeps_only_the_shortest_of_overlapping_strings() -> None:
    assert required(r"suicid(?:e|al)|suicidal thoughts") == {"suicide", "suicidal"}


@pytest.mark.parametrize("regex", [r"\w+(?:myself)?", r"(?:end)?", r"[^a]+", r"(?i)suicide"])
def test_required_names_nothing_when_a_match_need_hold_no_fixed_string(regex: str) -> None:
    assert required(regex) is None


def test_the_index_lists_a_regex_when_one_of_its_strings_is_in_the_text() -> None:
    index = LiteralIndex([frozenset({"overdose"}), frozenset({"no"}), None])
    assert index.candidates("i took an overdose") == {0, 2}
    assert index.candidates("no idea") == {1, 2}
    assert index.candidates("fine thanks") == {2}


def test_no_regex_that_matches_a_phrasing_is_screened_out() -> None:
    lex, screen = lexicon(), _screen()
    families = concepts().families
    regexes = [
        *(p.regex for p in lex.patterns),
        *lex.idioms,
        *(r for _w, r in lex.cue_fields),
        *(families[n] for n in screen.family_names),
    ]
    missed: list[tuple[str, str]] = []
    for text in _phrasings():
        norm = normalise(text)
        candidates = screen.index.candidates(norm)
        missed += [
            (r.pattern[:40], text)
            for i, r in enumerate(regexes)
            if i not in candidates and r.search(norm)
        ]
    assert missed == []


def test_screened_concept_hits_equal_the_full_run_on_every_phrasing() -> None:
    screen = _screen()
    for text in _phrasings():
        norm = normalise(text)
        assert concept_hits(norm, screen.split(norm)[3]) == concept_hits(norm), text


def test_a_turn_with_no_risk_word_is_none_with_no_reasons() -> None:
    assert check_risk("What would you like to get out of today?") == RiskResult(
        risk="none", reasons=[]
    )


def test_a_switched_off_match_is_still_given_as_a_reason() -> None:
    assert check_risk("Honestly I am not suicidal at all") == RiskResult(
        risk="none", reasons=["negated: 'suicidal'"]
    )


def test_normalise_still_applies_rules_unlocked_by_an_earlier_rule() -> None:
    # "u're" -> "you're" needs the "u" rule; "i'm" -> "i am"; "self harm" -> "self-harm"
    assert (
        normalise("I'm wanna cos self  harm, u ok?") == "i am want to because self-harm, you okay?"
    )
    assert normalise("I can’t, I won't") == "i can not, i will not"


def test_whole_words_spells_out_words_between_boundaries() -> None:
    assert whole_words(r"\bi'?m\b") == {"im", "i'm"}
    assert whole_words(r"\bcoz\b|\bcos\b|\bcuz\b") == {"coz", "cos", "cuz"}


@pytest.mark.parametrize(
    "regex", [r"\bself[\s-]*harm", r"\bab", r"\b\w+\b", r"^ab\b", r"\b(?=x)ab\b", r"\ba-\b"]
)
def test_whole_words_names_nothing_for_any_other_regex(regex: str) -> None:
    assert whole_words(regex) is None


def test_a_whole_word_string_counts_only_where_it_stands_alone() -> None:
    index = LiteralIndex([frozenset({"u"}), frozenset({"you"})], words=[0])
    assert index.candidates("would you") == {1}
    assert index.candidates("u?") == {0}
    assert index.candidates("see (u) later") == {0}
    assert index.candidates("_u") == set()


@pytest.mark.parametrize(
    "text",
    [
        "U ok?", "(u)", "im\nfine", "all\nright", "all  right", "no\tone", "self\tharm", "I\u2019m",
        "`tis", "CANNOT", "\u00dcR", "\uff55", "\u0130m tired", "you would", "time to look",
        "What would you like to get from our time today?", "It sounds like the evenings pile up.",
    ],
)  # fmt: skip
def test_the_one_pass_screen_normalises_as_normalise_does(text: str) -> None:
    norm, found = _screen().normalised(text)
    assert norm == normalise(text)
    assert found == _screen().index.candidates(norm)
