"""The catalog: every framework (and, later, scenario) loaded and validated once per process."""

from __future__ import annotations

from dataclasses import dataclass

from server.config import Settings
from server.frameworks import FrameworkEngine, load_all


@dataclass(frozen=True)
class Catalog:
    """Read-only data every request shares; built once at start-up."""

    frameworks: dict[str, FrameworkEngine]


def load_catalog(settings: Settings) -> Catalog:
    """Load and validate every data file; the first broken one raises DataFileError."""
    extra = [settings.frameworks_dir] if settings.frameworks_dir else []
    return Catalog(frameworks=load_all(extra))
