"""Walkthroughs through the API: end to end, back/skip/pause/resume, the safety net, privacy."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from server.api import walkthroughs
from server.app import create_app
from server.catalog import Catalog, load_catalog
from server.config import Settings
from server.frameworks import FrameworkEngine
from server.safety import check_risk
from server.walkthrough import answer, start

ANSWERS = {
    "goal": "I want to leave work on time at least three days a week.",
    "options": "I could ask the consultant to start the ward round earlier, or share the "
    "discharge letters with the FY1s, or block out admin time",
    "choice": "Asking the consultant about the ward round start time.",
    "step": "I'll ask Dr Patel about the ward round start time on Friday.",
    "confidence": "About a 7 out of 10.",
    "support": "My partner and my educational supervisor.",
    "none": "Most nights I stay until eight because the ward round runs late and letters pile up.",
}
RISK_PHRASE = "I keep thinking everyone would be better off without me"


class Visitor(AsyncClient):
    """A browser-like client: keeps cookies, sends the CSRF token on writes."""

    def _csrf(self) -> dict[str, str]:
        token = self.cookies.get("empowerer_csrf")
        return {"X-CSRF-Token": token} if token else {}

    async def write(self, path: str, body: Any = None) -> Response:
        return await self.post(path, json=body if body is not None else {}, headers=self._csrf())

    async def remove(self, path: str) -> Response:
        return await self.delete(path, headers=self._csrf())

    async def begin(self, framework: str = "grow") -> dict[str, Any]:
        response = await self.write("/api/walkthroughs", {"framework": framework})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def say(self, wid: str, text: str) -> Response:
        return await self.write(f"/api/walkthroughs/{wid}/answers", {"text": text})


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(Settings())


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "empowerer.db"


@pytest.fixture
async def app(db_file: Path, catalog: Catalog) -> AsyncIterator[FastAPI]:
    application = create_app(Settings(db_url=f"sqlite:///{db_file}"), catalog)
    async with application.router.lifespan_context(application):
        yield application


def visitor(app: FastAPI) -> Visitor:
    return Visitor(transport=ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def me(app: FastAPI) -> AsyncIterator[Visitor]:
    async with visitor(app) as client:
        yield client


@pytest.fixture
async def someone_else(app: FastAPI) -> AsyncIterator[Visitor]:
    async with visitor(app) as client:
        yield client


def rows(db_file: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """Ask the database file directly, as an auditor would."""
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, args).fetchall()


async def walk_to_the_end(client: Visitor, engine: FrameworkEngine) -> dict[str, Any]:
    """Answer every question with the scripted answer for the field the guide is asking about
    (the pure engine, run alongside, says which field that is)."""
    body = await client.begin(engine.id)
    state, _ = start(engine)
    today = date.today()
    for _ in range(80):
        if body["status"] != "active":
            break
        assert state.pending is not None
        assert body["prompt"]["question"] == state.pending.text
        text = ANSWERS[state.pending.field]
        state, prompt = answer(engine, state, text, today)
        response = await client.say(body["id"], text)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["prompt"]["text"] == prompt.text
    return body


def test_the_scripted_answers_raise_no_alarm() -> None:
    assert not any(check_risk(text).flagged for text in ANSWERS.values())


@pytest.mark.parametrize("fid", ["clear", "egan", "grow", "oskar"])
async def test_each_framework_walked_end_to_end_gives_a_plan_with_every_field(
    fid: str, me: Visitor, catalog: Catalog
) -> None:
    engine = catalog.frameworks[fid]
    body = await walk_to_the_end(me, engine)
    assert body["status"] == "finished" and body["prompt"]["kind"] == "finished"
    plan = body["plan"]
    assert plan["goal"] == "I want to leave work on time at least three days a week"
    assert len(plan["options"]) >= 1
    first = plan["steps"][0]
    assert "ward round start time" in first["text"]
    due = date.fromisoformat(first["due"])
    assert due.weekday() == 4 and date.today() < due <= date.today() + timedelta(days=7)
    assert plan["confidence"] == 7
    assert plan["support"] == "My partner and my educational supervisor"
    assert [s["id"] for s in body["stages"]] == engine.stage_ids
    users = [m["text"] for m in body["messages"] if m["speaker"] == "user"]
    assert ANSWERS["goal"] in users

    markdown = await me.get(f"/api/walkthroughs/{body['id']}/plan.md")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.headers["content-disposition"] == 'attachment; filename="plan.md"'
    assert markdown.headers["cache-control"] == "no-store"
    read = await me.get(f"/api/walkthroughs/{body['id']}")
    assert read.headers["cache-control"] == "no-store"  # private: kept out of caches
    assert "## Goal" in markdown.text and plan["goal"] in markdown.text
    assert "7 out of 10" in markdown.text

    ics = await me.get(f"/api/walkthroughs/{body['id']}/plan.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert f"DTSTART;VALUE=DATE:{due.strftime('%Y%m%d')}" in ics.text
    assert ics.text.startswith("BEGIN:VCALENDAR")


async def test_back_skip_pause_and_resume(me: Visitor) -> None:
    body = await me.begin("grow")
    wid = body["id"]
    assert body["stage"] == "goal"
    refused = await me.write(f"/api/walkthroughs/{wid}/back")
    assert refused.status_code == 409 and "first stage" in refused.json()["detail"]

    await me.say(wid, ANSWERS["goal"])
    skipped = (await me.write(f"/api/walkthroughs/{wid}/skip")).json()
    assert skipped["stage"] == "reality" and "Reality" in skipped["prompt"]["text"]
    again = (await me.write(f"/api/walkthroughs/{wid}/back")).json()
    assert again["stage"] == "goal"
    question = again["prompt"]["question"]

    paused = (await me.write(f"/api/walkthroughs/{wid}/pause")).json()
    assert paused["status"] == "paused" and paused["prompt"]["kind"] == "paused"
    blocked = await me.say(wid, "One more thing")
    assert blocked.status_code == 409
    listed = (await me.get("/api/walkthroughs")).json()
    assert [(w["id"], w["status"]) for w in listed] == [(wid, "paused")]

    resumed = (await me.write(f"/api/walkthroughs/{wid}/resume")).json()
    assert resumed["status"] == "active" and resumed["prompt"]["question"] == question
    assert resumed["plan"]["goal"] == "I want to leave work on time at least three days a week"
    again_read = (await me.get(f"/api/walkthroughs/{wid}")).json()
    assert again_read == resumed


async def test_a_risk_phrase_pauses_with_the_support_card_and_is_not_stored(
    me: Visitor, db_file: Path
) -> None:
    body = await me.begin("oskar")
    wid = body["id"]
    await me.say(wid, "I want to sleep properly before my night shifts.")
    hit = await me.say(wid, RISK_PHRASE)
    assert hit.status_code == 200
    shown = hit.json()
    assert shown["status"] == "support" and shown["prompt"]["kind"] == "support"
    contacts = " ".join(s["contact"] for s in shown["support"]["services"])
    assert "999" in contacts and "116 123" in contacts and "111" in contacts
    names = [s["name"] for s in shown["support"]["services"]]
    assert "NHS Practitioner Health" in names
    assert all(RISK_PHRASE not in m["text"] for m in shown["messages"])

    stored = rows(db_file, "SELECT state, prompt, messages FROM walkthroughs WHERE id = ?", wid)
    assert stored and all("better off" not in column for column in stored[0])
    assert "sleep properly" in stored[0][0]  # the earlier answer is kept: only the hit is not
    exported = (await me.get(f"/api/walkthroughs/{wid}/export")).text
    assert "better off" not in exported

    reread = (await me.get(f"/api/walkthroughs/{wid}")).json()
    assert reread["support"] == shown["support"]
    assert (await me.say(wid, "Sorry, carrying on")).status_code == 409
    carried = (await me.write(f"/api/walkthroughs/{wid}/resume")).json()
    assert carried["status"] == "active" and carried["support"] is None


async def test_deletion_leaves_no_row_behind(me: Visitor, db_file: Path) -> None:
    body = await me.begin("clear")
    wid = body["id"]
    await me.say(wid, ANSWERS["goal"])
    assert rows(db_file, "SELECT count(*) FROM walkthroughs WHERE id = ?", wid) == [(1,)]
    gone = await me.remove(f"/api/walkthroughs/{wid}")
    assert gone.status_code == 204
    assert rows(db_file, "SELECT count(*) FROM walkthroughs WHERE id = ?", wid) == [(0,)]
    everything = " ".join(
        str(r)
        for table in ("walkthroughs", "sessions", "turns")
        for r in rows(db_file, f"SELECT * FROM {table}")
    )
    assert "leave work on time" not in everything
    assert (await me.get(f"/api/walkthroughs/{wid}")).status_code == 404
    assert (await me.remove(f"/api/walkthroughs/{wid}")).status_code == 404
    assert (await me.get("/api/walkthroughs")).json() == []


def routes_of(wid: str) -> list[tuple[str, str]]:
    base = f"/api/walkthroughs/{wid}"
    return [
        ("GET", base),
        ("POST", f"{base}/answers"),
        ("POST", f"{base}/back"),
        ("POST", f"{base}/skip"),
        ("POST", f"{base}/pause"),
        ("POST", f"{base}/resume"),
        ("GET", f"{base}/plan.md"),
        ("GET", f"{base}/plan.ics"),
        ("GET", f"{base}/export"),
        ("DELETE", base),
    ]


async def assert_404_everywhere(client: Visitor, wid: str) -> None:
    for method, path in routes_of(wid):
        if method == "GET":
            response = await client.get(path)
        elif method == "DELETE":
            response = await client.remove(path)
        else:
            response = await client.write(path, {"text": "Let me in"})
        assert response.status_code == 404, (method, path, response.text)
        assert "No such walkthrough of yours" in response.json()["detail"]
    assert wid not in (await client.get("/api/walkthroughs")).text


async def test_another_guest_gets_404_on_every_route(
    me: Visitor, someone_else: Visitor, app: FastAPI
) -> None:
    body = await me.begin("grow")
    wid = body["id"]
    await me.say(wid, ANSWERS["goal"])
    await someone_else.begin("grow")  # someone_else now has an identity of their own
    await assert_404_everywhere(someone_else, wid)
    async with visitor(app) as stranger:  # no cookie at all
        await assert_404_everywhere(stranger, wid)
    mine = (await me.get(f"/api/walkthroughs/{wid}")).json()
    assert mine["status"] == "active" and len(mine["messages"]) == 3  # untouched


async def signup(client: Visitor, email: str) -> dict[str, Any]:
    body = {"email": email, "password": "a long enough password", "name": email.split("@")[0]}
    response = await client.write("/api/auth/signup", body)
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()
    return user


async def test_another_user_a_facilitator_and_an_admin_get_404(app: FastAPI) -> None:
    paths = set(app.openapi()["paths"])
    users = [p for p in paths if re.fullmatch(r"/api/users/\{\w+\}", p)]
    if "/api/auth/signup" not in paths or not users:
        pytest.skip("accounts are not built yet (no /api/auth/signup and /api/users/{id})")
    async with (
        visitor(app) as admin,
        visitor(app) as owner,
        visitor(app) as facilitator,
        visitor(app) as trainee,
    ):
        admin_user = await signup(admin, "admin@example.org")  # first account: the admin
        assert admin_user["role"] == "admin"
        await signup(owner, "owner@example.org")
        await signup(trainee, "trainee@example.org")
        promoted = await signup(facilitator, "facilitator@example.org")
        patch = await admin.patch(
            f"/api/users/{promoted['id']}",
            json={"role": "facilitator"},
            headers=admin._csrf(),
        )
        assert patch.status_code == 200, patch.text
        wid = (await owner.begin("grow"))["id"]
        await owner.say(wid, ANSWERS["goal"])
        for other in (trainee, facilitator, admin):
            await assert_404_everywhere(other, wid)
        assert (await owner.get(f"/api/walkthroughs/{wid}")).status_code == 200


async def test_retention_purges_walkthroughs_not_updated_for_that_many_days(
    tmp_path: Path, catalog: Catalog
) -> None:
    db = tmp_path / "retention.db"
    url = f"sqlite:///{db}"
    first = create_app(Settings(db_url=url), catalog)
    async with first.router.lifespan_context(first), visitor(first) as client:
        old = (await client.begin("grow"))["id"]
        fresh = (await client.begin("egan"))["id"]
    long_ago = "2000-01-01 00:00:00.000000"
    rows(db, "UPDATE walkthroughs SET updated_at = ? WHERE id = ?", long_ago, old)

    kept = create_app(Settings(db_url=url, walkthrough_retention_days=0), catalog)
    async with kept.router.lifespan_context(kept):
        pass
    assert rows(db, "SELECT count(*) FROM walkthroughs") == [(2,)]  # 0 keeps everything

    purging = create_app(Settings(db_url=url, walkthrough_retention_days=30), catalog)
    async with purging.router.lifespan_context(purging):  # purged on start
        assert rows(db, "SELECT id FROM walkthroughs") == [(fresh,)]


async def test_retention_is_also_applied_while_running(
    app: FastAPI, me: Visitor, db_file: Path
) -> None:
    wid = (await me.begin("grow"))["id"]
    app.state.settings = Settings(db_url=f"sqlite:///{db_file}", walkthrough_retention_days=7)
    task = await walkthroughs.start_retention(app, interval=0.05)
    try:
        assert rows(db_file, "SELECT count(*) FROM walkthroughs") == [(1,)]
        rows(
            db_file,
            "UPDATE walkthroughs SET updated_at = ? WHERE id = ?",
            "2000-01-01 00:00:00.000000",
            wid,
        )
        for _ in range(100):
            await asyncio.sleep(0.02)
            if rows(db_file, "SELECT count(*) FROM walkthroughs") == [(0,)]:
                break
        assert rows(db_file, "SELECT count(*) FROM walkthroughs") == [(0,)]
    finally:
        await walkthroughs.stop_retention(task)


async def test_two_answers_at_once_are_both_kept_and_survive_a_restart(
    me: Visitor, app: FastAPI, db_file: Path, catalog: Catalog
) -> None:
    wid = (await me.begin("grow"))["id"]
    first, second = await asyncio.gather(
        me.say(wid, "I want to leave work on time."), me.say(wid, "And see my kids before bed.")
    )
    assert first.status_code == second.status_code == 200
    said = [m["text"] for m in (await me.get(f"/api/walkthroughs/{wid}")).json()["messages"]]
    assert "I want to leave work on time." in said and "And see my kids before bed." in said
    another = create_app(Settings(db_url=f"sqlite:///{db_file}"), catalog)  # a second process
    async with another.router.lifespan_context(another), visitor(another) as same:
        same.cookies = me.cookies
        again = (await same.get(f"/api/walkthroughs/{wid}")).json()
        assert [m["text"] for m in again["messages"]] == said
