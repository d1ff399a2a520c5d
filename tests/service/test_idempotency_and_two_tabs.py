"""Retries with an Idempotency-Key store nothing new; two turns at once: one accepted, one 409."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from fastapi import FastAPI

from server.app import create_app
from server.catalog import Catalog
from server.config import Settings

from .helpers import FRAMEWORK, LINES, SCENARIO, Trainee, trainee
from .servers import Server


async def turn_count(client: Trainee, sid: str) -> int:
    return len((await client.get(f"/api/sessions/{sid}")).json()["turns"])


async def test_a_retried_turn_returns_the_first_answer_and_stores_nothing(client: Trainee) -> None:
    sid = await client.start()
    first = await client.say(sid, LINES[0], **{"Idempotency-Key": "turn-1"})
    retry = await client.say(sid, LINES[0], **{"Idempotency-Key": "turn-1"})
    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert await turn_count(client, sid) == 3
    following = await client.say(sid, LINES[1], **{"Idempotency-Key": "turn-2"})
    assert following.status_code == 200 and following.json()["mentor_turn"]["index"] == 3
    late_retry = await client.say(sid, "different words", **{"Idempotency-Key": "turn-1"})
    assert late_retry.content == first.content
    assert await turn_count(client, sid) == 5


async def test_a_key_belongs_to_its_session(client: Trainee) -> None:
    one, two = await client.start(), await client.start()
    a = await client.say(one, LINES[0], **{"Idempotency-Key": "same"})
    b = await client.say(two, LINES[1], **{"Idempotency-Key": "same"})
    assert a.json()["mentor_turn"]["text"] == LINES[0]
    assert b.json()["mentor_turn"]["text"] == LINES[1]


async def test_a_retry_after_the_session_ended_still_gets_its_answer(client: Trainee) -> None:
    sid = await client.start()
    first = await client.say(sid, LINES[0], **{"Idempotency-Key": "k"})
    await client.write(f"/api/sessions/{sid}/end")
    retry = await client.say(sid, LINES[0], **{"Idempotency-Key": "k"})
    assert retry.status_code == 200 and retry.content == first.content
    fresh = await client.say(sid, LINES[0], **{"Idempotency-Key": "other"})
    assert fresh.status_code == 409


async def test_two_tabs_sending_at_once_one_is_accepted_the_other_gets_409(
    client: Trainee,
) -> None:
    sid = await client.start()
    for _ in range(5):
        before = await turn_count(client, sid)
        answers = await asyncio.gather(client.say(sid, LINES[2]), client.say(sid, LINES[3]))
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        assert refused.json()["detail"] == (
            "Another turn for this session is being processed; wait for its reply and try again."
        )
        assert await turn_count(client, sid) == before + 2


async def test_two_processes_racing_on_one_session_store_one_turn(
    sqlite_url: str, catalog: Catalog
) -> None:
    """Two app instances on one database (as two server processes): the version check decides."""
    apps: list[FastAPI] = [create_app(Settings(db_url=sqlite_url), catalog) for _ in range(2)]
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
        trainee(apps[0]) as tab_a,
        trainee(apps[1]) as tab_b,
    ):
        sid = await tab_a.start()
        tab_b.cookies = tab_a.cookies
        accepted = 0
        for i in range(6):
            answers = await asyncio.gather(tab_a.say(sid, LINES[i]), tab_b.say(sid, LINES[i + 1]))
            codes = [a.status_code for a in answers]
            assert set(codes) <= {200, 409} and 200 in codes, [a.text for a in answers]
            accepted += codes.count(200)
        stored = (await tab_a.get(f"/api/sessions/{sid}")).json()["turns"]
        assert len(stored) == 1 + 2 * accepted
        assert [t["index"] for t in stored] == list(range(len(stored)))


async def test_two_tabs_on_a_real_server_one_is_accepted_the_other_gets_409(
    tmp_path: Path,
) -> None:
    """As a browser's two tabs do: two connections, both sending a turn at once, over HTTP."""
    server = Server(f"sqlite:///{tmp_path / 'tabs.db'}").start()
    try:
        async with httpx.AsyncClient(base_url=server.url) as first:
            await first.get("/api/health")
            csrf = {"X-CSRF-Token": first.cookies["empowerer_csrf"]}
            created = await first.post(
                "/api/sessions", json={"scenario": SCENARIO, "framework": FRAMEWORK}, headers=csrf
            )
            sid = created.json()["id"]
            cookies = dict(first.cookies)
            for round_ in range(10):
                async with (
                    httpx.AsyncClient(base_url=server.url, cookies=cookies) as tab_a,
                    httpx.AsyncClient(base_url=server.url, cookies=cookies) as tab_b,
                ):
                    await tab_a.get("/api/health")  # both tabs have their connection open
                    await tab_b.get("/api/health")
                    answers = await asyncio.gather(
                        tab_a.post(
                            f"/api/sessions/{sid}/turns", json={"text": LINES[2]}, headers=csrf
                        ),
                        tab_b.post(
                            f"/api/sessions/{sid}/turns", json={"text": LINES[3]}, headers=csrf
                        ),
                    )
                assert sorted(a.status_code for a in answers) == [200, 409], round_
            # A tab that waits for the reply is never refused, however quickly it sends again.
            for line in LINES[:4]:
                assert (
                    await first.post(
                        f"/api/sessions/{sid}/turns", json={"text": line}, headers=csrf
                    )
                ).status_code == 200
            turns = (await first.get(f"/api/sessions/{sid}")).json()["turns"]
            assert len(turns) == 1 + 2 * (10 + 4)  # the opening, then one exchange per 200
    finally:
        server.stop()
