"""Shared fixtures: isolate every test from the user's data directory and environment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.config import get_settings


@pytest.fixture(autouse=True)
def _isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Point the default database at a temp file and drop course folders from the environment."""
    db = tmp_path_factory.mktemp("db") / "empowerer.db"
    monkeypatch.setenv("EMPOWERER_DB_URL", f"sqlite:///{db}")
    for name in ("EMPOWERER_FRAMEWORKS_DIR", "EMPOWERER_SCENARIOS_DIR", "EMPOWERER_SUPPORT_FILE"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def repo_root() -> Path:
    """The checkout's top folder."""
    return Path(__file__).resolve().parent.parent
