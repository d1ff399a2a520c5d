"""`empowerer validate [PATH ...]`: check framework and scenario files before publishing them.

A scenario also goes through the quality gate (`server/mentee/gate.py`): a good mentor must reach
its core and a commitment, an advice-giver and an interrogator must not.

With no PATH it checks everything the service would load. A PATH may be a file or a folder.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from server.datafiles import DataFileError, read_yaml

# kind -> (how to recognise a file of that kind, how to check one file)
Validator = Callable[[Path], list[str]]


def _check_framework(path: Path) -> list[str]:
    from server.frameworks import load_file

    engine = load_file(path)
    return [f"{len(engine.stage_ids)} stages, {len(engine.kinds)} moves"]


def _check_scenario(path: Path) -> list[str]:
    """Load the scenario, then the quality gate: three scripted mentors talk to the mentee."""
    from server.frameworks import load_all as load_frameworks
    from server.mentee.gate import GATE_FRAMEWORK, run_gate
    from server.scenarios import load_file

    spec = load_file(path)
    engine = load_frameworks()[GATE_FRAMEWORK]
    problems = run_gate(spec, engine)
    if problems:
        raise DataFileError(path, "", "quality gate: " + "; ".join(problems))
    units = sum(len(layer) for layer in (spec.layers.surface, spec.layers.deeper, spec.layers.core))
    return [f"{units} units, {len(spec.options)} options", "quality gate passed"]


def validators() -> dict[str, tuple[Callable[[dict[str, Any]], bool], Validator]]:
    """The file kinds `validate` knows, by name."""
    return {
        "framework": (lambda data: "stages" in data and "transitions" in data, _check_framework),
        "scenario": (lambda data: "persona" in data, _check_scenario),
    }


def default_paths() -> list[Path]:
    """What the service would load: built-in data plus the folders named in the environment."""
    from server.config import get_settings
    from server.paths import data_dir

    settings = get_settings()
    paths = [data_dir("frameworks"), data_dir("scenarios")]
    paths += [p for p in (settings.frameworks_dir, settings.scenarios_dir) if p]
    return paths


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the YAML files in folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            files.append(path)
    return files


def check(path: Path) -> tuple[bool, str]:
    """(ok, one line saying what was found)."""
    try:
        if not path.exists():
            return False, f"{path}: no such file"
        data = read_yaml(path)
        for kind, (recognise, validate) in validators().items():
            if recognise(data):
                notes = validate(path)
                return True, f"{path}: ok ({kind}; {'; '.join(notes)})"
        return False, f"{path}: not a framework or scenario file (no 'stages' nor 'persona' key)"
    except DataFileError as exc:
        return False, str(exc)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("validate", help="check framework and scenario files")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    files = expand(args.paths or default_paths())
    failures = 0
    for path in files:
        ok, line = check(path)
        failures += not ok
        if not ok or not args.quiet:
            print(("ok    " if ok else "FAIL  ") + line)
    print(f"{len(files) - failures} valid, {failures} invalid")
    return 1 if failures else 0
