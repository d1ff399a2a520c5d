"""The session lane (server/api/lane.py) answers exactly as FastAPI's routes do.

The same requests, well-formed and not, go to an app with the lane and to one without it; every
status and every body must be the same (ids and times masked).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from server.api.lane import SessionLane
from server.app import create_app
from server.catalog import Catalog
from server.config import Settings

from .helpers import FRAMEWORK, SCENARIO, Trainee, trainee

WHEN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


async def scripted(client: Trainee) -> list[tuple[str, int, str]]:
    """A session played with every kind of request the lane sees; (what, status, masked body)."""
    answers: list[tuple[str, int, str]] = []
    sid = ""

    def keep(what: str, response: Any) -> None:
        body = WHEN.sub("WHEN", response.text)
        answers.append((what, response.status_code, body.replace(sid, "SID") if sid else body))

    keep("health", await client.get("/api/health"))
    keep("create unknown scenario", await client.write("/api/sessions", {"scenario": "nope"}))
    keep("create not json", await client.post("/api/sessions", content=b"{", headers=csrf(client)))
    nested = b"[" * 20_000 + b"]" * 20_000  # deeper than the JSON parser recurses
    keep("create nested", await client.post("/api/sessions", content=nested, headers=csrf(client)))
    created = await client.write(
        "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK, "seed": 7}
    )
    sid = created.json()["id"]
    keep("create", created)
    turns = f"/api/sessions/{sid}/turns"
    keep("turn", await client.write(turns, {"text": "What brings you here today?"}))
    keep("turn empty", await client.write(turns, {"text": "   "}))
    keep("turn nul", await client.write(turns, {"text": "a\u0000b"}))
    keep("turn extra field", await client.write(turns, {"text": "Hi", "x": 1}))
    keep("turn long", await client.write(turns, {"text": "word " * 500}))
    keyed = {"Idempotency-Key": "k-1"}
    keep("turn keyed", await client.write(turns, {"text": "Tell me more."}, **keyed))
    keep("turn replayed", await client.write(turns, {"text": "Tell me more."}, **keyed))
    keep("turn odd key", await client.write(turns, {"text": "And?"}, **{"Idempotency-Key": "a b"}))
    keep(
        "turn foreign",
        await client.write("/api/sessions/AAAAAAAAAAAAAAAAAAAA/turns", {"text": "Hi"}),
    )
    keep("turn bad id", await client.write("/api/sessions/x/turns", {"text": "Hi"}))
    keep("report", await client.get(f"/api/sessions/{sid}/report"))
    keep("report bad id", await client.get("/api/sessions/x/report"))
    keep("end", await client.write(f"/api/sessions/{sid}/end"))
    keep("end again", await client.write(f"/api/sessions/{sid}/end"))
    keep("turn after end", await client.write(turns, {"text": "One more thing?"}))
    keep("report after end", await client.get(f"/api/sessions/{sid}/report"))
    return answers


def csrf(client: Trainee) -> dict[str, str]:
    return {
        "X-CSRF-Token": client.cookies.get("empowerer_csrf") or "",
        "content-type": "application/json",
    }


async def played(app: FastAPI) -> list[tuple[str, int, str]]:
    async with app.router.lifespan_context(app), trainee(app) as client:
        return await scripted(client)


def without_lane(app: FastAPI) -> FastAPI:
    app.user_middleware = [m for m in app.user_middleware if m.cls is not SessionLane]
    return app


@pytest.fixture
async def lane_and_plain(
    tmp_path: Path, catalog: Catalog
) -> AsyncIterator[tuple[FastAPI, FastAPI]]:
    lane = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'lane.db'}"), catalog)
    plain = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'plain.db'}"), catalog)
    assert any(m.cls is SessionLane for m in lane.user_middleware)
    yield lane, without_lane(plain)


async def test_the_lane_answers_every_request_as_fastapi_does(
    lane_and_plain: tuple[FastAPI, FastAPI],
) -> None:
    lane, plain = lane_and_plain
    with_lane, without = await played(lane), await played(plain)
    assert [a[:2] for a in with_lane] == [a[:2] for a in without]
    for (what, _, ours), (_, _, theirs) in zip(with_lane, without, strict=True):
        assert ours == theirs, what
    statuses = {what: status for what, status, _ in with_lane}
    assert statuses["turn"] == 200 and statuses["turn replayed"] == 200
    assert statuses["turn after end"] == 409 and statuses["turn empty"] == 422
    assert statuses["create nested"] == 400


async def test_behind_a_root_path_fastapi_answers(lane_and_plain: tuple[FastAPI, FastAPI]) -> None:
    """Behind a proxy's prefix the lane stands aside: the routes match as FastAPI matches them."""
    for app in lane_and_plain:
        app.root_path = "/api"
    answers = []
    for app in lane_and_plain:
        async with app.router.lifespan_context(app), trainee(app) as client:
            response = await client.get("/api/health")
            answers.append((response.status_code, response.text))
    assert answers[0] == answers[1]
