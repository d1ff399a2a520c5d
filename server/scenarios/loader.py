"""Loading scenario files: parse, validate strictly, cross-check, and export the JSON Schema.

A broken file raises `DataFileError` naming the file, the key and what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from server.datafiles import DataFileError, load_folders, read_yaml, validate_model
from server.paths import data_dir
from server.scenarios.spec import ScenarioSpec

LAYER_NAMES = ("surface", "deeper", "core")
MAX_AFTER_TURN = 40
MAX_SENTENCES = 4
_SENTENCE_END = re.compile(r"[.!?]+(?:[\"'”’)]*)(?=\s|$)")


def builtin_dir() -> Path:
    """The folder of the built-in scenarios."""
    return data_dir("scenarios")


@lru_cache(maxsize=16384)
def sentence_count(text: str) -> int:
    """How many sentences a line holds (at least one)."""
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def load_file(path: Path) -> ScenarioSpec:
    """Read, validate and cross-check one scenario file."""
    data = read_yaml(path)
    _check_layer_names(data, path)
    spec = validate_model(ScenarioSpec, data, path)
    if spec.id != path.stem:
        raise DataFileError(path, "id", f"'{spec.id}' must equal the file name '{path.stem}'")
    check_references(spec, path)
    return spec


def _check_layer_names(data: dict[str, Any], origin: Path) -> None:
    """A clearer message than 'unknown key' for a misspelt disclosure stage."""
    layers = data.get("layers")
    if not isinstance(layers, dict):
        return
    for name in layers:
        if name not in LAYER_NAMES:
            raise DataFileError(
                origin,
                f"layers.{name}",
                f"unknown disclosure stage '{name}' (the layers are {', '.join(LAYER_NAMES)})",
            )


def _ids(spec: ScenarioSpec) -> Iterator[tuple[str, str]]:
    for layer in LAYER_NAMES:
        for i, unit in enumerate(getattr(spec.layers, layer)):
            yield f"layers.{layer}[{i}].id", unit.id
    for i, goal in enumerate(spec.goals):
        yield f"goals[{i}].id", goal.id
    for i, option in enumerate(spec.options):
        yield f"options[{i}].id", option.id
    for i, cue in enumerate(spec.risk_cues):
        yield f"risk_cues[{i}].id", cue.id


def all_lines(spec: ScenarioSpec) -> Iterator[tuple[str, str]]:
    """Every line the mentee can say, with its key."""
    for i, line in enumerate(spec.opening):
        yield f"opening[{i}]", line
    for layer in LAYER_NAMES:
        for i, unit in enumerate(getattr(spec.layers, layer)):
            for j, line in enumerate(unit.lines):
                yield f"layers.{layer}[{i}].lines[{j}]", line
    groups: list[tuple[str, list[Any]]] = [
        ("feelings", spec.feelings),
        ("goals", spec.goals),
        ("options", spec.options),
    ]
    for name, items in groups:
        for i, item in enumerate(items):
            for j, line in enumerate(item.lines):
                yield f"{name}[{i}].lines[{j}]", line
    for j, line in enumerate(spec.commitment.lines):
        yield f"commitment.lines[{j}]", line
    for pool in ("yes_but", "compliance", "withdrawal", "short_answers", "corrections"):
        for j, line in enumerate(getattr(spec, pool)):
            yield f"{pool}[{j}]", line
    for i, bait in enumerate(spec.bait):
        for j, line in enumerate(bait.lines):
            yield f"bait[{i}].lines[{j}]", line
    for i, cue in enumerate(spec.risk_cues):
        for j, line in enumerate(cue.lines):
            yield f"risk_cues[{i}].lines[{j}]", line
        for j, line in enumerate(cue.explored_lines):
            yield f"risk_cues[{i}].explored_lines[{j}]", line
    for pool in ("accept_lines", "reject_lines"):
        for j, line in enumerate(getattr(spec.signposting, pool)):
            yield f"signposting.{pool}[{j}]", line


def check_references(spec: ScenarioSpec, origin: str | Path) -> None:
    """Cross-checks pydantic cannot express; the first problem raises DataFileError."""
    seen: dict[str, str] = {}
    for key, ident in _ids(spec):
        if ident in seen:
            raise DataFileError(
                origin,
                key,
                f"id '{ident}' is already used at {seen[ident]} (ids must be unique "
                "across layers, goals, options and risk cues)",
            )
        seen[ident] = key
    said: dict[str, str] = {}
    for key, line in all_lines(spec):
        norm = " ".join(line.lower().split())
        if norm in said:
            raise DataFileError(
                origin,
                key,
                f"the same line is already at {said[norm]} (a mentee never repeats a "
                "line in a session)",
            )
        said[norm] = key
        if sentence_count(line) > MAX_SENTENCES:
            raise DataFileError(
                origin, key, f"a line holds at most {MAX_SENTENCES} sentences (replies stay 1-4)"
            )
    _check_turns(spec, origin)
    if (spec.signposting.needed or spec.risk_cues) and not spec.signposting.to:
        raise DataFileError(
            origin,
            "signposting.to",
            "name where to signpost (GP, occupational health, ...) when "
            "signposting is needed or the scenario has risk cues",
        )


def _check_turns(spec: ScenarioSpec, origin: str | Path) -> None:
    turns: dict[int, str] = {}
    for i, bait in enumerate(spec.bait):
        key = f"bait[{i}].after_turn"
        if bait.after_turn > MAX_AFTER_TURN:
            raise DataFileError(
                origin,
                key,
                f"{bait.after_turn} is later than any practice session runs "
                f"(at most {MAX_AFTER_TURN})",
            )
        if bait.after_turn in turns:
            raise DataFileError(
                origin, key, f"{turns[bait.after_turn]} is already set for turn {bait.after_turn}"
            )
        turns[bait.after_turn] = f"bait[{i}]"
    for i, cue in enumerate(spec.risk_cues):
        if cue.after_turn > MAX_AFTER_TURN:
            raise DataFileError(
                origin,
                f"risk_cues[{i}].after_turn",
                f"{cue.after_turn} is later than any "
                f"practice session runs (at most {MAX_AFTER_TURN})",
            )


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files in a folder, sorted."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))


def load_all(extra_dirs: Iterable[Path] = ()) -> dict[str, ScenarioSpec]:
    """The built-in scenarios plus those in `extra_dirs`, by id; the first broken file raises."""
    return load_folders((builtin_dir(), *extra_dirs), scenario_files, load_file, "scenario")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://empowerer.invalid/scenarios/schema.json"
    schema["title"] = "Empowerer scenario"
    return schema


def schema_text() -> str:
    """The JSON Schema as it is written to `scenarios/schema.json`."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
