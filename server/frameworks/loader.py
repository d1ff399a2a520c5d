"""Loading framework files: parse, validate strictly, cross-check references, build the engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from server.datafiles import DataFileError, load_folders, read_yaml, validate_model
from server.frameworks.engine import FrameworkEngine
from server.frameworks.guards import GUARDS
from server.frameworks.spec import FrameworkSpec, MoveKind
from server.paths import data_dir


def builtin_dir() -> Path:
    """The folder of the four built-in frameworks."""
    return data_dir("frameworks")


def load_file(path: Path) -> FrameworkEngine:
    """Read, validate and build one framework file; DataFileError names what is wrong."""
    data = read_yaml(path)
    spec = validate_model(FrameworkSpec, data, path)
    if spec.id != path.stem:
        raise DataFileError(path, "id", f"'{spec.id}' must equal the file name '{path.stem}'")
    check_references(spec, path)
    return FrameworkEngine(spec)


def check_references(spec: FrameworkSpec, origin: str | Path) -> None:
    """Cross-check ids, stage references, guards, move kinds and reachability."""
    _check_unique_ids(spec, origin)
    leaves = [name for name, _, _ in spec.leaves()]
    order = {name: i for i, name in enumerate(leaves)}
    top = {stage.id for stage in spec.stages}
    for key in ("initial", "final"):
        value = getattr(spec, key)
        if value not in order and value not in top:
            raise DataFileError(
                origin, key, f"unknown stage '{value}' (stages: {', '.join(leaves)})"
            )
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(spec.transitions):
        for j, src in enumerate(t.source):
            _check_stage(origin, f"transitions[{i}].from[{j}]", src, order)
        _check_stage(origin, f"transitions[{i}].to", t.dest, order)
        for k, guard in enumerate(t.guards):
            if guard not in GUARDS:
                raise DataFileError(
                    origin,
                    f"transitions[{i}].guards[{k}]",
                    f"unknown guard '{guard}' (known guards: {', '.join(sorted(GUARDS))})",
                )
        for src in t.source:
            if (src, t.dest) in seen:
                raise DataFileError(
                    origin, f"transitions[{i}]", f"the move {src} -> {t.dest} is declared twice"
                )
            seen.add((src, t.dest))
            _check_kind(origin, f"transitions[{i}].kind", t.kind, order[src], order[t.dest])
    _check_reachable(spec, origin, leaves)


def _check_unique_ids(spec: FrameworkSpec, origin: str | Path) -> None:
    seen: set[str] = set()
    for i, stage in enumerate(spec.stages):
        if stage.id in seen:
            raise DataFileError(origin, f"stages[{i}].id", f"duplicate stage id '{stage.id}'")
        seen.add(stage.id)
        if not stage.steps and not (stage.questions and stage.signals and stage.moves):
            raise DataFileError(
                origin,
                f"stages[{i}]",
                "a stage without steps needs signals, moves, 4-8 questions and pitfalls",
            )
        if not stage.steps and (len(stage.questions) < 4 or not stage.pitfalls):
            raise DataFileError(
                origin, f"stages[{i}].questions", "needs 4-8 questions and pitfalls"
            )
        step_ids: set[str] = set()
        for j, step in enumerate(stage.steps):
            if step.id in step_ids:
                raise DataFileError(
                    origin, f"stages[{i}].steps[{j}].id", f"duplicate step id '{step.id}'"
                )
            step_ids.add(step.id)


def _check_stage(origin: str | Path, key: str, name: str, order: dict[str, int]) -> None:
    if name not in order:
        raise DataFileError(origin, key, f"unknown stage '{name}' (stages: {', '.join(order)})")


def _check_kind(origin: str | Path, key: str, kind: MoveKind, src: int, dest: int) -> None:
    expected = (
        MoveKind.BACK if dest < src else MoveKind.FORWARD if dest == src + 1 else MoveKind.SKIP
    )
    if src == dest:
        raise DataFileError(origin, key, "a move must go to another stage")
    if kind is not expected:
        raise DataFileError(
            origin,
            key,
            f"'{kind.value}' does not fit this move; by the stage order it is "
            f"'{expected.value}' (forward = the next stage, skip = further ahead, back = earlier)",
        )


def _check_reachable(spec: FrameworkSpec, origin: str | Path, leaves: list[str]) -> None:
    start = next(n for n in leaves if n == spec.initial or n.startswith(f"{spec.initial}_"))
    edges: dict[str, set[str]] = {}
    for t in spec.transitions:
        for src in t.source:
            edges.setdefault(src, set()).add(t.dest)
    reached, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    missing = [n for n in leaves if n not in reached]
    if missing:
        raise DataFileError(
            origin, "transitions", f"stages unreachable from '{spec.initial}': {', '.join(missing)}"
        )


def framework_files(folder: Path) -> list[Path]:
    """The framework files in a folder, sorted."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file()) + sorted(
        p for p in folder.glob("*.yml") if p.is_file()
    )


def load_all(extra_dirs: Iterable[Path] = ()) -> dict[str, FrameworkEngine]:
    """The built-in frameworks plus those in `extra_dirs`, by id; the first broken file raises."""
    return load_folders((builtin_dir(), *extra_dirs), framework_files, load_file, "framework")
