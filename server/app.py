"""The FastAPI application factory: routers, edge security, the store, the static web UI.

Everything expensive is built once: the catalog (frameworks, scenarios and their machines) when the
app is created, the store (migrations, the writer) when it starts.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from server import __version__, heap
from server.api import (
    auth,
    authoring,
    cohorts,
    errors,
    exemplar,
    frameworks,
    health,
    refusals,
    scenarios,
    sessions,
    walkthroughs,
)
from server.api.lane import SessionLane
from server.api.security import SecurityMiddleware
from server.catalog import Catalog, load_catalog
from server.config import Settings, get_settings
from server.paths import data_dir
from server.service.accounts import AccountService
from server.service.authoring import AuthoringService
from server.service.cohorts import CohortService
from server.service.sessions import SessionService
from server.store import SessionStore, SqlStore

GIL_SWITCH_SECONDS = 0.001  # see lifespan

API_ROUTERS = (
    health.router,
    frameworks.router,
    scenarios.router,
    sessions.router,
    exemplar.router,
    walkthroughs.router,
    auth.router,
    auth.users_router,
    cohorts.router,
    cohorts.mine_router,
    authoring.router,
    refusals.fallback,  # last: unknown /api paths are JSON 404/405
)
# What an APIRoute keeps of its declaration, i.e. what `add_api_route` needs to declare it again.
ROUTE_FIELDS = tuple(
    name
    for name in inspect.signature(APIRouter.add_api_route).parameters
    if name not in ("self", "path", "endpoint", "route_class_override")
)


def api_router() -> APIRouter:
    """Every resource under `/api`, in one flat router.

    `include_router` (FastAPI 0.165) keeps each included router as a branch that every request
    walks again (checking each branch's routes version on the way: ~0.25 ms a request); declaring
    the same routes again, in the same order, on one router matches them with one regex each."""
    router = APIRouter(prefix="/api")
    for child in API_ROUTERS:
        for route in child.routes:
            assert isinstance(route, APIRoute), route
            declared = {name: getattr(route, name) for name in ROUTE_FIELDS}
            router.add_api_route(
                route.path, route.endpoint, route_class_override=type(route), **declared
            )
    return router


def add_api_routes(app: FastAPI, router: APIRouter) -> None:
    """Put a flat router's routes straight on the app (no branch to walk per request)."""
    for route in router.routes:
        assert isinstance(route, APIRoute), route
        declared = {name: getattr(route, name) for name in ROUTE_FIELDS}
        app.router.add_api_route(
            route.path, route.endpoint, route_class_override=type(route), **declared
        )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store (apply migrations, start the writer) for the life of the app."""
    store: SessionStore = app.state.store
    await store.open()
    app.state.service.warm()
    settled = heap.start()
    # A store thread back from a COMMIT (or a PostgreSQL round trip) waits for the GIL while the
    # event loop runs Python: up to 5 ms by default, 1 ms with this. Paired load runs at a set
    # throughput (benchmarks/load.py --pace 0.31, four pairs): the store's p99 wait went from
    # 52-81 ms to 42-58 ms and the server's p99 from 77-97 ms to 59-84 ms.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    retention = await walkthroughs.start_retention(app)
    try:
        yield
    finally:
        await walkthroughs.stop_retention(retention)
        await heap.stop(settled)
        await store.close()
        sys.setswitchinterval(switch)


# Some non-space character; no NUL, no lone surrogate (JSON Schema regex syntax).
TEXT_PATTERN = r"^[^\u0000\ud800-\udfff]*[^\s\u0000\ud800-\udfff][^\u0000\ud800-\udfff]*$"


def declare_limits(app: FastAPI, service: SessionService, settings: Settings) -> None:
    """Put what this server accepts into its OpenAPI schema: the known scenario and framework ids
    as enums, the turn length cap from the settings, so clients (and fuzzers) know the limits."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        fields = schema["components"]["schemas"]["SessionCreate"]["properties"]
        sessions.declare_choices(
            fields, sorted(service.scenarios), sorted(service.catalog.frameworks)
        )
        text = schema["components"]["schemas"]["TurnCreate"]["properties"]["text"]
        text["maxLength"] = min(text["maxLength"], settings.max_turn_chars)
        text["pattern"] = TEXT_PATTERN
        move = schema["components"]["schemas"]["StageMove"]["properties"]["to"]
        move["pattern"] = r"^[A-Za-z0-9_-]+$"
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: Settings | None = None,
    catalog: Catalog | None = None,
    store: SessionStore | None = None,
) -> FastAPI:
    """Build the app; loading the catalog here makes a broken data file stop the start."""
    settings = settings or get_settings()
    catalog = catalog or load_catalog(settings)
    store = store or SqlStore(settings.db_url)
    app = FastAPI(
        title="Empowerer",
        version=__version__,
        description="A practice room for mentors: frameworks, a simulated mentee, coding, reports.",
        lifespan=lifespan,
        telemetry={
            "tracing": settings.telemetry,
            "metrics": settings.telemetry,
            "logs": settings.telemetry,
        },
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.store = store
    app.state.service = SessionService(store, catalog)
    app.state.accounts = AccountService(store)
    app.state.cohorts = CohortService(app.state.service)
    app.state.authoring = AuthoringService(app.state.cohorts)
    declare_limits(app, app.state.service, settings)
    errors.install(app)
    if not settings.telemetry:  # FastAPI's telemetry is per route: every request goes through it
        app.add_middleware(SessionLane)  # inside the security middleware (added after it)
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes)
    add_api_routes(app, api_router())
    app.mount("/", StaticFiles(directory=data_dir("web"), html=True), name="web")
    return app
