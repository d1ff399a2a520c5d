"""The 4xx answers the account, cohort and desk routes declare in OpenAPI (all `{"detail"}`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path

from server.api.errors import Problem

_TEXT = {
    400: "The body is not valid JSON",
    401: "Not logged in (or the server-side session was revoked)",
    403: "Missing or wrong X-CSRF-Token header, or a role that may never do this",
    404: "No such object of yours (foreign objects are 404 too)",
    409: "A conflict: the message says what to do",
    405: "This path takes other methods (the Allow header lists them)",
    413: "The request body is too large",
    415: "The body is not declared as JSON",
    422: "The input is not valid: the message says what to fix",
    429: "Too many failed logins: wait for Retry-After seconds",
}
WRITE = (400, 403, 413, 415, 422)


def declare(*codes: int, write: bool = False) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: these statuses (and a write's edge refusals)."""
    wanted = sorted({*codes, 422, *(WRITE if write else ())})
    return {code: {"model": Problem, "description": _TEXT[code]} for code in wanted}


fallback = APIRouter()
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def served_methods(request: Request) -> list[str]:
    """The methods the routes at the request's path take (this fallback left out); a literal
    path (`/api/cohorts/join`) shadows a template (`/api/cohorts/{cohort_id}`)."""
    path = request.url.path
    routes = [
        r
        for r in iter_route_contexts(request.app.routes)
        if r.endpoint is not no_such_route and r.methods and isinstance(r.path, str)
    ]
    exact = [r for r in routes if r.path == path]
    matching = exact or [r for r in routes if compile_path(str(r.path))[0].match(path)]
    return sorted({method for r in matching for method in r.methods or ()})


@fallback.api_route("/{rest:path}", methods=ALL_METHODS, include_in_schema=False)
async def no_such_route(request: Request, rest: str) -> JSONResponse:
    """Under /api, a path no route serves is a JSON 404, and a method a path does not take is
    405 with Allow (instead of the static web UI's 404)."""
    allowed = served_methods(request)
    if allowed:
        return JSONResponse(
            {"detail": f"Method not allowed here: use {', '.join(allowed)}."},
            status_code=405,
            headers={"Allow": ", ".join(allowed)},
        )
    return JSONResponse({"detail": "No such API route: see /docs."}, status_code=404)
