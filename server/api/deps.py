"""Dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from server.catalog import Catalog
from server.config import Settings
from server.service.sessions import SessionService


async def get_catalog(request: Request) -> Catalog:
    """The catalog loaded at start-up."""
    catalog: Catalog = request.app.state.catalog
    return catalog


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_service(request: Request) -> SessionService:
    """The session service (opened with the store by the app's lifespan)."""
    service: SessionService = request.app.state.service
    return service


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
ServiceDep = Annotated[SessionService, Depends(get_service)]
