"""Reading the YAML data files (frameworks, scenarios) strictly, with errors that name file and key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


class DataFileError(ValueError):
    """A data file is wrong; the message names the file, the key and what is wrong."""

    def __init__(self, file: str | Path, key: str, problem: str) -> None:
        self.file = str(file)
        self.key = key
        self.problem = problem
        super().__init__(f"{self.file}: {key}: {problem}" if key else f"{self.file}: {problem}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with the same key twice (PyYAML keeps the last one)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_mapping(node))


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def read_yaml(path: Path) -> dict[str, Any]:
    """The mapping at the top of a YAML file, or DataFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, "", f"cannot be read ({exc})") from exc
    return parse_yaml(text, path)


def parse_yaml(text: str, origin: str | Path) -> dict[str, Any]:
    """Parse YAML text that must hold one mapping."""
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise DataFileError(origin, "", f"is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise DataFileError(origin, "", "must hold a mapping at the top level")
    return data


def key_path(loc: tuple[int | str, ...]) -> str:
    """`('stages', 2, 'id')` -> `stages[2].id`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_model(model: type[M], data: dict[str, Any], origin: str | Path) -> M:
    """`model.model_validate(data)`, turning the first validation error into a DataFileError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = first["msg"]
        if first["type"] == "extra_forbidden":
            problem = "unknown key (check its spelling against the field reference)"
        more = len(exc.errors()) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise DataFileError(origin, key_path(tuple(first["loc"])), problem) from exc


def load_folders(
    folders: Iterable[Path],
    files: Callable[[Path], list[Path]],
    load: Callable[[Path], T],
    kind: str,
) -> dict[str, T]:
    """Every file (`files(folder)`) of every folder loaded, by id; a missing folder, a broken file
    or an id already taken raises DataFileError ("a `kind` called '...' already exists")."""
    loaded: dict[str, T] = {}
    for folder in folders:
        if not folder.is_dir():
            raise DataFileError(folder, "", f"is not a folder of {kind} files")
        for path in files(folder):
            item = load(path)
            if item.id in loaded:
                raise DataFileError(path, "id", f"a {kind} called '{item.id}' already exists")
            loaded[item.id] = item
    return loaded
