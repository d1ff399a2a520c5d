"""`GET /api/exemplar`: turns as docs/API.md, the report, annotations; 404 for unknown ids."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from server.api.exemplar import _exemplar
from server.app import create_app
from server.catalog import load_catalog
from server.config import Settings


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncClient]:
    settings = Settings(db_url=f"sqlite:///{tmp_path / 'e.db'}")
    app: FastAPI = create_app(settings, load_catalog(settings))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://testserver") as c:
            yield c


async def test_exemplar_gives_coded_turns_a_good_report_and_annotations(
    client: AsyncClient,
) -> None:
    response = await client.get(
        "/api/exemplar", params={"scenario": "staff-nurse-new-manager", "framework": "clear"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["report"]["overall"]["band"] == "good"
    turns = body["turns"]
    assert [t["index"] for t in turns] == list(range(len(turns)))
    mentor = [t for t in turns if t["speaker"] == "mentor"]
    assert all(t["codes"] and t["primary"] and t["stage_title"] for t in mentor)
    assert all(t.get("codes") is None for t in turns if t["speaker"] == "mentee")
    assert body["annotations"][0]["stage"] == "contract"
    assert all(m["why"] for a in body["annotations"] for m in a["moves"])


async def test_the_same_exemplar_is_built_once(client: AsyncClient) -> None:
    params = {"scenario": "gp-drinking", "framework": "grow", "seed": "2"}
    first = await client.get("/api/exemplar", params=params)
    hits = _exemplar.cache_info().hits
    again = await client.get("/api/exemplar", params=params)
    assert first.json() == again.json()
    assert _exemplar.cache_info().hits == hits + 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"scenario": "nope", "framework": "grow"}, "No such scenario"),
        ({"scenario": "gp-drinking", "framework": "nope"}, "No such framework"),
    ],
)
async def test_unknown_ids_are_404_with_a_message(
    client: AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await client.get("/api/exemplar", params=params)
    assert response.status_code == 404
    assert message in response.json()["detail"]


async def test_a_bad_seed_is_refused(client: AsyncClient) -> None:
    response = await client.get(
        "/api/exemplar", params={"scenario": "gp-drinking", "framework": "grow", "seed": "-1"}
    )
    assert response.status_code == 422
