"""The catalog: every framework and scenario, loaded and validated once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from server.config import Settings
from server.frameworks import FrameworkEngine, load_all
from server.scenarios import ScenarioSpec
from server.scenarios import load_all as load_scenarios


@dataclass(frozen=True)
class Catalog:
    """Read-only data every request shares; built once at start-up."""

    frameworks: dict[str, FrameworkEngine]
    scenarios: dict[str, ScenarioSpec] = field(default_factory=dict)


def load_catalog(settings: Settings) -> Catalog:
    """Load and validate every data file; the first broken one raises DataFileError."""
    extra = [settings.frameworks_dir] if settings.frameworks_dir else []
    scenario_dirs = [settings.scenarios_dir] if settings.scenarios_dir else []
    return Catalog(frameworks=load_all(extra), scenarios=load_scenarios(scenario_dirs))
