"""The coder against hand-written mentor turns (tests/coding/cases.yaml): codes, primary, stage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from server.coding import Code, code_turn
from server.frameworks.spec import Intent

CASES_FILE = Path(__file__).with_name("cases.yaml")
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
CASE_KEYS = {"text", "context", "primary", "codes", "stage_intent", "suggestion"}


def _label(code: str, detail: str | None) -> str:
    return f"{code}/{detail}" if detail else code


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    coded = code_turn(case["text"], case.get("context"))
    got = [_label(hit.code.value, hit.detail) for hit in coded.codes]
    assert (coded.primary.value, got) == (case["primary"], case["codes"])
    if "stage_intent" in case:
        assert coded.stage_intent == case["stage_intent"]
    if case.get("suggestion"):
        assert coded.suggestion
    if coded.primary not in (Code.ADVICE, Code.ROADBLOCK):
        assert coded.suggestion is None


def test_there_are_enough_cases_and_they_are_well_formed() -> None:
    assert len(CASES) >= 150
    codes = {c.value for c in Code}
    intents = {i.value for i in Intent}
    for case in CASES:
        assert set(case) <= CASE_KEYS, case
        assert case["primary"] in codes
        assert all(label.split("/")[0] in codes for label in case["codes"])
        assert case.get("stage_intent") in intents | {None}


def test_cases_cover_every_code_and_detail() -> None:
    labels = {label for case in CASES for label in case["codes"]}
    seen_codes = {label.split("/")[0] for label in labels}
    assert seen_codes == {c.value for c in Code}
    wanted = {
        "reflection/simple", "reflection/complex", "advice/disguised", "advice/with_permission",
        "information/with_permission", "closed_question/permission", "affirmation/empathy",
        "roadblock/reassuring", "roadblock/judging", "roadblock/moralising", "roadblock/warning",
        "roadblock/self_disclosure", "roadblock/changing_subject", "roadblock/labelling",
    }  # fmt: skip
    assert wanted <= labels


def test_cases_reach_every_stage_intent() -> None:
    reached = {case.get("stage_intent") for case in CASES}
    assert {i.value for i in Intent} <= reached
