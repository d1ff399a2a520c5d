"""Error responses: every refusal is `{"detail": ...}` with a 4xx status, declared in OpenAPI.

Validation errors keep FastAPI's list form (422) but never echo the input back (it may be huge, or
hold a lone surrogate that cannot be encoded as UTF-8).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from server.service.errors import ServiceError


class Problem(BaseModel):
    """What went wrong and what to do about it."""

    detail: str | list[dict[str, Any]]


def _described(text: str) -> dict[str, Any]:
    return {"model": Problem, "description": text}


BAD_BODY = _described("The body is not valid JSON")
CSRF = _described("Missing or wrong X-CSRF-Token header")
NOT_FOUND = _described("No such session of yours")
CONFLICT = _described("Busy, ended, or a move the framework refused")
TOO_LARGE = _described("The request body is too large")
NOT_JSON = _described("The body is not declared as JSON")
INVALID = _described("The input is not valid: the message says what to fix")

READ_ERRORS: dict[int | str, dict[str, Any]] = {404: NOT_FOUND, 422: INVALID}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: BAD_BODY,
    403: CSRF,
    404: NOT_FOUND,
    409: CONFLICT,
    413: TOO_LARGE,
    415: NOT_JSON,
    422: INVALID,
}


def clean(value: Any) -> Any:
    """Strings safe to encode as UTF-8 (lone surrogates replaced), recursively."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """FastAPI's error list without the input echoed back."""
    errors = []
    for error in exc.errors():
        item = {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        errors.append(clean(item))
    return errors


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with FastAPI's list form (the JSON-decoding error says so plainly)."""
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": validation_errors(exc)}, status_code=422)


async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
    """A refusal from the service, with its status."""
    assert isinstance(exc, ServiceError)
    body = {**clean(exc.extra), "detail": clean(exc.detail)}
    return JSONResponse(body, status_code=exc.status, headers=exc.headers or None)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path (Starlette lists only one route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET", "type": "http"})
        if match is not Match.NONE and isinstance(getattr(route, "methods", None), set):
            methods |= route.methods
    return sorted(methods)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Starlette's HTTP errors, with a complete Allow header on 405."""
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return JSONResponse({"detail": clean(exc.detail)}, status_code=exc.status_code, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers."""
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
