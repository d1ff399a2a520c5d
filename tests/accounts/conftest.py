"""Fixtures: an app on a temp SQLite file with its lifespan running, and browser-like clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from server.app import create_app
from server.catalog import Catalog, load_catalog
from server.config import Settings


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(Settings())


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'accounts.db'}"


@pytest.fixture
async def app(db_url: str, catalog: Catalog) -> AsyncIterator[FastAPI]:
    application = create_app(Settings(db_url=db_url), catalog)
    async with application.router.lifespan_context(application):
        yield application
