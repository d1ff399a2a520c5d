"""Helpers shared by the subcommands."""

from __future__ import annotations

import json
import sys
from typing import Any

from server.catalog import Catalog, load_catalog
from server.config import get_settings
from server.datafiles import DataFileError


def fail(message: str, status: int = 2) -> int:
    """Print `message` on stderr and return the exit status."""
    print(f"empowerer: {message}", file=sys.stderr)
    return status


def catalog_or_exit() -> Catalog:
    """The catalog, or exit 2 with the broken file named."""
    try:
        return load_catalog(get_settings())
    except DataFileError as exc:
        raise SystemExit(f"empowerer: {exc}") from exc


def print_json(data: Any, *, indent: int | None = 2) -> None:
    """Print JSON on stdout."""
    print(json.dumps(data, indent=indent, ensure_ascii=False))
