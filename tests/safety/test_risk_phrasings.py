"""The risk check measured on the project's own phrasings (`phrasings.yaml`).

Each phrasing is one parametrised case, so a failure names the sentence; the group rates are
checked against the targets the safety net promises: recall 100% on explicit, >= 95% on indirect,
false alarms <= 5% on clinical talk, and "mostly none" (<= 10%) on negated, third person, idiom.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from server.safety import check_risk

PHRASINGS = Path(__file__).with_name("phrasings.yaml")
RISKY = ("explicit", "indirect")
SAFE = ("negated", "third_person", "clinical", "idiom")
# group -> the largest share of phrasings allowed to come out wrong
ALLOWED_WRONG = {
    "explicit": 0.0,
    "indirect": 0.05,
    "clinical": 0.05,
    "negated": 0.10,
    "third_person": 0.10,
    "idiom": 0.10,
}


@cache
def groups() -> dict[str, list[str]]:
    data = yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(k): [str(t) for t in v] for k, v in data.items()}


def wrong(group: str) -> list[str]:
    expect_flag = group in RISKY
    return [t for t in groups()[group] if check_risk(t).flagged != expect_flag]


def test_the_file_holds_at_least_200_phrasings_in_the_six_groups() -> None:
    assert set(groups()) == set(RISKY + SAFE)
    assert sum(len(v) for v in groups().values()) >= 200
    assert all(len(v) >= 25 for v in groups().values())


@pytest.mark.parametrize("text", groups()["explicit"])
def test_every_explicit_phrasing_is_high(text: str) -> None:
    result = check_risk(text)
    assert result.risk == "high", result.reasons


@pytest.mark.parametrize("group", list(ALLOWED_WRONG))
def test_group_rate_meets_its_target(group: str) -> None:
    missed = wrong(group)
    assert len(missed) <= ALLOWED_WRONG[group] * len(groups()[group]), missed


@pytest.mark.parametrize("text", groups()["clinical"] + groups()["third_person"])
def test_talk_about_others_gives_reasons_or_nothing_but_never_high(text: str) -> None:
    assert check_risk(text).risk != "high"


@pytest.mark.parametrize(
    ("name", "size"),
    [("holdout.yaml", 60), ("holdout_v2.yaml", 60), ("holdout_v3.yaml", 60),
     ("holdout_v4.yaml", 80), ("holdout_v5.yaml", 80), ("holdout_v6.yaml", 80)],
)  # fmt: skip
def test_held_out_files_are_separate_from_the_development_set(name: str, size: int) -> None:
    data = yaml.safe_load(PHRASINGS.with_name(name).read_text(encoding="utf-8"))
    assert set(data) == set(RISKY + SAFE)
    assert all(isinstance(t, str) for v in data.values() for t in v)
    assert sum(len(v) for v in data.values()) >= size
    assert not set().union(*data.values()) & set().union(*groups().values())
