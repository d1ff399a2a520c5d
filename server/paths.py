"""Where the built-in data folders live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The built-in folder `name` (frameworks, scenarios, web, ...).

    A wheel carries the folders under `server/_data/`; a source checkout has them beside `server/`.
    """
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name
