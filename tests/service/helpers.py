"""Test helpers: a browser-like client and data factories."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from server.store import GUEST, Identity, NewIdentity, SessionRow, new_id, new_token, utcnow

SCENARIO = "gp-partner-school-run"
FRAMEWORK = "grow"
LINES = (
    "What would you like to get from our time today?",
    "It sounds like the evenings are where it all piles up.",
    "Tell me more about what a typical week looks like.",
    "What matters most to you about this?",
    "So you are stretched between the practice and home, and it is wearing you down.",
    "What have you already tried?",
    "What options can you see?",
    "Which of those feels most doable?",
)


class Trainee(AsyncClient):
    """A well-behaved browser-like client: keeps cookies and sends the CSRF token on writes."""

    async def write(self, path: str, body: Any = None, **headers: str) -> Response:
        token = self.cookies.get("empowerer_csrf")
        if token:
            headers = {"X-CSRF-Token": token, **headers}
        return await self.post(path, json=body if body is not None else {}, headers=headers)

    async def start(self, scenario: str = SCENARIO, framework: str = FRAMEWORK) -> str:
        """Start a session; returns its id."""
        response = await self.write("/api/sessions", {"scenario": scenario, "framework": framework})
        assert response.status_code == 201, response.text
        session_id: str = response.json()["id"]
        return session_id

    async def say(self, session_id: str, text: str, **headers: str) -> Response:
        return await self.write(f"/api/sessions/{session_id}/turns", {"text": text}, **headers)


def trainee(app: FastAPI) -> Trainee:
    """A new visitor of `app` (no cookies yet)."""
    return Trainee(transport=ASGITransport(app=app), base_url="http://testserver")


def guest() -> NewIdentity:
    return NewIdentity(Identity(new_id(), GUEST, utcnow()), new_token())


def session_row(owner_id: str, **changes: Any) -> SessionRow:
    now = utcnow()
    values: dict[str, Any] = {
        "id": new_id(),
        "owner_id": owner_id,
        "scenario": SCENARIO,
        "framework": FRAMEWORK,
        "seed": 0,
        "state": "{}",
        "version": 0,
        "turn_count": 1,
        "ended": False,
        "score": None,
        "band": None,
        "assignment_id": None,
        "exam_mode": False,
        "created_at": now,
        "updated_at": now,
    }
    values.update(changes)
    return SessionRow(**values)
