"""Scenarios: the simulated mentees, as data (`scenarios/<id>.yaml`), loaded and cross-checked."""

from __future__ import annotations

from server.scenarios.loader import builtin_dir, json_schema, load_all, load_file, schema_text
from server.scenarios.spec import ScenarioSpec

__all__ = ["ScenarioSpec", "builtin_dir", "json_schema", "load_all", "load_file", "schema_text"]
