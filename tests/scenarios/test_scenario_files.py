"""Every scenario file loads, passes the cross-checks, and the library covers what it must."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.scenarios import builtin_dir, load_all, load_file, schema_text
from server.scenarios.spec import Category, Profession

FILES = sorted(builtin_dir().glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario_file_loads(path: Path) -> None:
    spec = load_file(path)
    assert spec.id == path.stem
    assert spec.commitment.when.strip()


def test_library_covers_every_issue_category_and_professions() -> None:
    specs = load_all()
    assert len(specs) >= 24
    assert {s.tags.category for s in specs.values()} == set(Category)
    professions = {s.persona.profession for s in specs.values()}
    assert {
        Profession.DOCTOR,
        Profession.NURSE,
        Profession.PARAMEDIC,
        Profession.PHYSIOTHERAPIST,
        Profession.MEDICAL_STUDENT,
    } <= professions
    assert sum(bool(s.risk_cues) for s in specs.values()) >= 3
    assert any(s.signposting.needed for s in specs.values())
    assert {s.difficulty.level for s in specs.values()} == {1, 2, 3}


def test_published_schema_is_up_to_date() -> None:
    assert (builtin_dir() / "schema.json").read_text(encoding="utf-8") == schema_text()
