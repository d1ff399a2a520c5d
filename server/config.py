"""Settings, read from environment variables only (no secrets in the repo)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir


def _default_db_url() -> str:
    folder = Path(user_data_dir("empowerer", appauthor=False))
    return f"sqlite:///{folder / 'empowerer.db'}"


def _optional_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment."""

    db_url: str = field(default_factory=_default_db_url)
    frameworks_dir: Path | None = None
    scenarios_dir: Path | None = None
    support_file: Path | None = None
    max_turn_chars: int = 2000
    max_body_bytes: int = 64_000
    walkthrough_retention_days: int = 0
    # FastAPI's OpenTelemetry spans, metrics and logs (EMPOWERER_TELEMETRY=1, with an OpenTelemetry
    # provider configured). Off, FastAPI does not look for a provider on every request (~7% of
    # a small request's CPU).
    telemetry: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from `EMPOWERER_*` environment variables."""
        return cls(
            db_url=os.environ.get("EMPOWERER_DB_URL", "").strip() or _default_db_url(),
            frameworks_dir=_optional_path("EMPOWERER_FRAMEWORKS_DIR"),
            scenarios_dir=_optional_path("EMPOWERER_SCENARIOS_DIR"),
            support_file=_optional_path("EMPOWERER_SUPPORT_FILE"),
            max_turn_chars=_int("EMPOWERER_MAX_TURN_CHARS", 2000),
            max_body_bytes=_int("EMPOWERER_MAX_BODY_BYTES", 64_000),
            walkthrough_retention_days=_int("EMPOWERER_WALKTHROUGH_RETENTION_DAYS", 0),
            telemetry=_int("EMPOWERER_TELEMETRY", 0) == 1,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings.from_env()
