"""Liveness."""

from __future__ import annotations

from fastapi import APIRouter

from server import __version__

router = APIRouter(tags=["health"])


@router.get("/health")
async def read_health() -> dict[str, str]:
    """Answers while the service is up."""
    return {"status": "ok", "version": __version__}
