"""The mentoring frameworks as state machines: spec models, guard registry, loader and engine.

This package is the only importer of `transitions`.
"""

from __future__ import annotations

from server.frameworks.engine import FrameworkEngine, FrameworkState, MoveResult
from server.frameworks.guards import Facts
from server.frameworks.loader import load_all, load_file
from server.frameworks.spec import FrameworkSpec, Intent, MoveKind

__all__ = [
    "Facts",
    "FrameworkEngine",
    "FrameworkSpec",
    "FrameworkState",
    "Intent",
    "MoveKind",
    "MoveResult",
    "load_all",
    "load_file",
]
