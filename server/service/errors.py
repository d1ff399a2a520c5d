"""What the service refuses, with the HTTP status and a message that says what to do."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal the client can act on (4xx)."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    status = 422


SESSION_NOT_FOUND = "No such session of yours: check the id, or start one with POST /api/sessions."
BUSY = "Another turn for this session is being processed; wait for its reply and try again."
ENDED = "This session has ended: start a new one with POST /api/sessions."
