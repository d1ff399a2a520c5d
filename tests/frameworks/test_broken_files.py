"""Broken framework files fail validation with a message naming the file, the key and the problem."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from server.config import Settings
from server.datafiles import DataFileError
from server.frameworks import load_all, load_file
from server.frameworks.loader import builtin_dir


def grow() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((builtin_dir() / "grow.yaml").read_text())
    return data


def write(folder: Path, data: dict[str, Any], stem: str = "course") -> Path:
    data["id"] = stem
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def unknown_key(d: dict[str, Any]) -> None:
    d["stages"][1]["purpse"] = "typo"


def unknown_guard(d: dict[str, Any]) -> None:
    d["transitions"][1]["guards"] = ["story_herd"]


def missing_stage(d: dict[str, Any]) -> None:
    d["transitions"][0]["to"] = "realty"


def duplicate_stage(d: dict[str, Any]) -> None:
    d["stages"][2]["id"] = "reality"


def wrong_kind(d: dict[str, Any]) -> None:
    d["transitions"][0]["kind"] = "back"


def unreachable(d: dict[str, Any]) -> None:
    d["transitions"] = [t for t in d["transitions"] if t["to"] != "options"]


BROKEN: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (unknown_key, "stages[1].purpse", "unknown key"),
    (unknown_guard, "transitions[1].guards[0]", "unknown guard 'story_herd'"),
    (missing_stage, "transitions[0].to", "unknown stage 'realty'"),
    (duplicate_stage, "stages[2].id", "duplicate stage id 'reality'"),
    (wrong_kind, "transitions[0].kind", "'back' does not fit this move"),
    (unreachable, "transitions", "unreachable from 'goal': options"),
]


@pytest.mark.parametrize(
    ("breaker", "key", "problem"), BROKEN, ids=lambda b: getattr(b, "__name__", "")
)
def test_broken_file_fails_naming_file_key_and_problem(
    tmp_path: Path, breaker: Callable[[dict[str, Any]], None], key: str, problem: str
) -> None:
    data = grow()
    breaker(data)
    path = write(tmp_path, data)
    with pytest.raises(DataFileError) as caught:
        load_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert key in message
    assert problem in message


def test_id_must_equal_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text((builtin_dir() / "grow.yaml").read_text())
    with pytest.raises(DataFileError, match="must equal the file name 'other'"):
        load_file(path)


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    text = (
        (builtin_dir() / "grow.yaml").read_text().replace("id: grow", "id: course\nid: course", 1)
    )
    path = tmp_path / "course.yaml"
    path.write_text(text)
    with pytest.raises(DataFileError, match="duplicate key 'id'"):
        load_file(path)


def test_a_course_framework_loads_beside_the_builtin_four(tmp_path: Path) -> None:
    data = grow()
    data["name"] = "Our course's GROW"
    write(tmp_path, data, "ourgrow")
    engines = load_all([tmp_path])
    assert sorted(engines) == ["clear", "egan", "grow", "oskar", "ourgrow"]
    assert engines["ourgrow"].spec.name == "Our course's GROW"


def test_a_course_framework_may_not_take_a_builtin_id(tmp_path: Path) -> None:
    write(tmp_path, grow(), "grow")
    with pytest.raises(DataFileError, match="already exists"):
        load_all([tmp_path])


def test_create_app_refuses_a_broken_course_framework(tmp_path: Path) -> None:
    from server.app import create_app

    data = grow()
    unknown_guard(data)
    path = write(tmp_path, data)
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}", frameworks_dir=tmp_path)
    with pytest.raises(DataFileError, match=str(path)):
        create_app(settings)


def test_serve_refuses_to_start_naming_the_broken_file(tmp_path: Path) -> None:
    data = grow()
    missing_stage(data)
    path = write(tmp_path, data)
    env = {**os.environ, "EMPOWERER_FRAMEWORKS_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert str(path) in done.stderr and "unknown stage 'realty'" in done.stderr
