"""A scenario with a mistake fails validation with a message naming the file, the key and what
is wrong; `empowerer validate` reports it and fails."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.cli import main
from server.datafiles import DataFileError
from server.scenarios import builtin_dir, load_all, load_file

REFERENCE = builtin_dir() / "fy2-nights-exhaustion.yaml"


def reference() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def write(folder: Path, data: dict[str, Any], stem: str = "broken") -> Path:
    data["id"] = stem
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def unknown_stage(d: dict[str, Any]) -> None:
    d["layers"]["middle"] = d["layers"].pop("deeper")


def missing_opening(d: dict[str, Any]) -> None:
    del d["opening"]


def empty_opening(d: dict[str, Any]) -> None:
    d["opening"] = []


def empty_layer(d: dict[str, Any]) -> None:
    d["layers"]["core"] = []


def unknown_key(d: dict[str, Any]) -> None:
    d["persona"]["nmae"] = "typo"


def duplicate_unit_id(d: dict[str, Any]) -> None:
    d["options"][0]["id"] = d["layers"]["surface"][0]["id"]


def repeated_line(d: dict[str, Any]) -> None:
    d["compliance"].append(d["yes_but"][0])


def bait_too_late(d: dict[str, Any]) -> None:
    d["bait"][0]["after_turn"] = 400


def long_line(d: dict[str, Any]) -> None:
    d["short_answers"].append("One. Two. Three. Four. Five.")


def bad_level(d: dict[str, Any]) -> None:
    d["difficulty"]["level"] = 5


def risk_without_where(d: dict[str, Any]) -> None:
    d["signposting"]["to"] = []


CASES: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (unknown_stage, "layers.middle", "unknown disclosure stage 'middle'"),
    (missing_opening, "opening", "Field required"),
    (empty_opening, "opening", "at least 1 item"),
    (empty_layer, "layers.core", "at least 1 item"),
    (unknown_key, "persona.nmae", "unknown key"),
    (duplicate_unit_id, "options[0].id", "already used at layers.surface[0].id"),
    (repeated_line, "compliance[3]", "the same line is already at yes_but[0]"),
    (bait_too_late, "bait[0].after_turn", "later than any practice session"),
    (long_line, "short_answers[6]", "at most 4 sentences"),
    (bad_level, "difficulty.level", "less than or equal to 3"),
    (risk_without_where, "signposting.to", "name where to signpost"),
]


@pytest.mark.parametrize(("breaks", "key", "problem"), CASES, ids=[c[0].__name__ for c in CASES])
def test_broken_scenario_names_the_problem(
    tmp_path: Path, breaks: Callable[[dict[str, Any]], None], key: str, problem: str
) -> None:
    data = reference()
    breaks(data)
    path = write(tmp_path, data)
    with pytest.raises(DataFileError) as caught:
        load_file(path)
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert str(path) in str(caught.value)


def test_id_must_equal_file_name(tmp_path: Path) -> None:
    path = write(tmp_path, reference())
    path.write_text(path.read_text().replace("id: broken", "id: something-else", 1))
    with pytest.raises(DataFileError, match="must equal the file name 'broken'"):
        load_file(path)


def test_validate_command_fails_a_broken_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = reference()
    empty_layer(data)
    path = write(tmp_path, data)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "layers.core" in out and str(path) in out


def test_validate_command_runs_the_quality_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, reference(), stem="fine")
    assert main(["validate", str(good)]) == 0
    assert "quality gate passed" in capsys.readouterr().out


def test_quality_gate_names_the_scenario_and_the_mentor_that_misbehaved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.mentee import gate

    silent = {"good empowerer mentor": (lambda history: None, gate.judge_good)}
    monkeypatch.setattr(gate, "MENTORS", silent)
    path = write(tmp_path, reference(), stem="never-heard")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "never-heard: the good empowerer mentor never reached the core layer" in out


def test_extra_folder_with_a_clashing_id_is_refused(tmp_path: Path) -> None:
    write(tmp_path, reference(), stem="fy2-nights-exhaustion")
    with pytest.raises(DataFileError, match="already exists"):
        load_all([tmp_path])
