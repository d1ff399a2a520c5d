"""Settings from the environment: what an operator sets is what the app runs with."""

from __future__ import annotations

import pytest

from server.app import create_app
from server.catalog import Catalog
from server.config import Settings


def test_fastapi_telemetry_is_off_unless_asked_for(
    monkeypatch: pytest.MonkeyPatch, catalog: Catalog, sqlite_url: str
) -> None:
    monkeypatch.setenv("EMPOWERER_DB_URL", sqlite_url)
    monkeypatch.delenv("EMPOWERER_TELEMETRY", raising=False)
    quiet = create_app(Settings.from_env(), catalog)
    assert not (
        quiet._telemetry["tracing"] or quiet._telemetry["metrics"] or quiet._telemetry["logs"]
    )
    monkeypatch.setenv("EMPOWERER_TELEMETRY", "1")
    traced = Settings.from_env()
    assert traced.telemetry
    app = create_app(traced, catalog)
    assert app._telemetry["tracing"] and app._telemetry["metrics"] and app._telemetry["logs"]


def test_a_setting_that_is_not_a_number_stops_the_start_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMPOWERER_TELEMETRY", "yes")
    with pytest.raises(SystemExit, match="EMPOWERER_TELEMETRY must be a whole number"):
        Settings.from_env()
