"""Fixtures for the service tests: a store on each backend, an app with its lifespan, clients.

PostgreSQL tests create a randomly named database on 127.0.0.1:5432 (or `EMPOWERER_TEST_PG_URL`)
and drop it afterwards; they skip, saying why, where no server answers.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from server.app import create_app
from server.catalog import Catalog, load_catalog
from server.config import Settings
from server.store import SqlStore

from .helpers import Trainee, trainee

PG_ADMIN_URL = os.environ.get("EMPOWERER_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_admin() -> object:
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def pg_available() -> str | None:
    """None if PostgreSQL answers, else why not."""
    try:
        with _pg_admin():  # type: ignore[attr-defined]
            return None
    except Exception as exc:
        return f"no PostgreSQL at {PG_ADMIN_URL}: {exc}"


@pytest.fixture(scope="session")
def pg_reason() -> str | None:
    return pg_available()


@pytest.fixture
def pg_url(pg_reason: str | None) -> Iterator[str]:
    """A fresh, randomly named PostgreSQL database, dropped after the test."""
    if pg_reason:
        pytest.skip(pg_reason)
    name = f"empowerer_test_{secrets.token_hex(6)}"
    with _pg_admin() as admin:  # type: ignore[attr-defined]
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with _pg_admin() as admin:  # type: ignore[attr-defined]
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'empowerer.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each backend in turn (the contract suite runs against both)."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlStore]:
    opened = SqlStore(db_url)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The built-in frameworks and scenarios, loaded once for all tests."""
    return load_catalog(Settings())


@pytest.fixture
async def app(sqlite_url: str, catalog: Catalog) -> AsyncIterator[FastAPI]:
    """The app on a temp SQLite file, with its lifespan running."""
    application = create_app(Settings(db_url=sqlite_url), catalog)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[Trainee]:
    async with trainee(app) as c:
        yield c


@pytest.fixture
async def other(app: FastAPI) -> AsyncIterator[Trainee]:
    """A second visitor with cookies of their own."""
    async with trainee(app) as c:
        yield c
