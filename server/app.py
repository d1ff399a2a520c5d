"""The FastAPI application factory: routers, the static web UI, the catalog loaded once."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from server import __version__
from server.api import frameworks, health
from server.catalog import Catalog, load_catalog
from server.config import Settings, get_settings
from server.paths import data_dir


def api_router() -> APIRouter:
    """Every resource under `/api`."""
    router = APIRouter(prefix="/api")
    router.include_router(health.router)
    router.include_router(frameworks.router)
    return router


def create_app(settings: Settings | None = None, catalog: Catalog | None = None) -> FastAPI:
    """Build the app; loading the catalog here makes a broken data file stop the start."""
    settings = settings or get_settings()
    catalog = catalog or load_catalog(settings)
    app = FastAPI(
        title="Empowerer",
        version=__version__,
        description="A practice room for mentors: frameworks, a simulated mentee, coding, reports.",
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.include_router(api_router())
    app.mount("/", StaticFiles(directory=data_dir("web"), html=True), name="web")
    return app
