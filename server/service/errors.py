"""What the service refuses, with the HTTP status and a message that says what to do."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A refusal the client can act on (4xx); `extra` adds fields beside `detail`."""

    status = 400

    def __init__(
        self,
        detail: str,
        *,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}


class Unauthorized(ServiceError):
    status = 401


class Forbidden(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


class TooMany(ServiceError):
    status = 429


SESSION_NOT_FOUND = "No such session of yours: check the id, or start one with POST /api/sessions."
BUSY = "Another turn for this session is being processed; wait for its reply and try again."
ENDED = "This session has ended: start a new one with POST /api/sessions."
LOG_IN = "Log in first: POST /api/auth/login (or sign up with POST /api/auth/signup)."
COHORT_NOT_FOUND = "No such cohort of yours: GET /api/cohorts lists yours."
STAFF_ONLY = "Only facilitators and admins can do this: ask an admin to make you a facilitator."
ADMIN_ONLY = "Only admins can do this."
