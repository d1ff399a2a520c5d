"""Real server processes: kill -9 mid-load loses no acknowledged turn; processes share PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from .helpers import FRAMEWORK, SCENARIO
from .servers import Server

TRAINEES = 8


@dataclass
class Practice:
    """One simulated trainee's session and what the server acknowledged."""

    number: int
    client: httpx.AsyncClient
    session_id: str = ""
    acknowledged: dict[int, str] = field(default_factory=dict)  # mentor turn index -> text
    pending: tuple[str, str] | None = None  # (key, text) of a request that got no answer
    sent: int = 0

    async def post(self, path: str, body: object, **headers: str) -> httpx.Response:
        token = self.client.cookies.get("empowerer_csrf")
        if token:
            headers["X-CSRF-Token"] = token
        return await self.client.post(path, json=body, headers=headers)

    async def start(self) -> None:
        response = await self.post("/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK})
        assert response.status_code == 201, response.text
        self.session_id = response.json()["id"]

    async def say(self, key: str, text: str) -> None:
        response = await self.post(
            f"/api/sessions/{self.session_id}/turns", {"text": text}, **{"Idempotency-Key": key}
        )
        assert response.status_code == 200, response.text
        turn = response.json()["mentor_turn"]
        assert turn["text"] == text
        self.acknowledged[turn["index"]] = text

    async def keep_talking(self, until: float) -> None:
        """Turn after turn until `until`; a request cut off by the crash is kept as pending."""
        while time.monotonic() < until:
            self.sent += 1
            key, text = (
                f"t{self.number}-{self.sent}",
                f"Turn {self.sent} from trainee {self.number}: what else?",
            )
            try:
                await self.say(key, text)
            except httpx.TransportError:
                self.pending = (key, text)
                return


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[Server]:
    server = Server(f"sqlite:///{tmp_path / 'crash.db'}")
    yield server
    server.stop()


async def check_transcript(
    client: httpx.AsyncClient, practice: Practice
) -> list[dict[str, object]]:
    """Every acknowledged turn is stored once, at its index; the indices have no gaps."""
    response = await client.get(f"/api/sessions/{practice.session_id}")
    assert response.status_code == 200, response.text
    turns = response.json()["turns"]
    assert [t["index"] for t in turns] == list(range(len(turns)))
    by_index = {t["index"]: t["text"] for t in turns}
    for index, text in practice.acknowledged.items():
        assert by_index.get(index) == text
    mentor_texts = [t["text"] for t in turns if t["speaker"] == "mentor"]
    assert len(mentor_texts) == len(set(mentor_texts)), "a turn was stored twice"
    return list(turns)


@pytest.mark.slow
async def test_kill_9_mid_load_loses_no_acknowledged_turn(sqlite_server: Server) -> None:
    sqlite_server.start()
    clients = [httpx.AsyncClient(base_url=sqlite_server.url, timeout=10) for _ in range(TRAINEES)]
    trainees = [Practice(n, c) for n, c in enumerate(clients)]
    try:
        for trainee in trainees:
            await trainee.client.get("/api/health")
            await trainee.start()
        talking = asyncio.gather(*(t.keep_talking(time.monotonic() + 30) for t in trainees))
        await asyncio.sleep(1.5)
        sqlite_server.kill()
        await asyncio.wait_for(talking, 15)
        assert sum(len(t.acknowledged) for t in trainees) >= TRAINEES
        sqlite_server.start()
        for trainee in trainees:
            await check_transcript(trainee.client, trainee)
            if trainee.pending:  # the retry the web UI makes: same key, stored at most once
                await trainee.say(*trainee.pending)
            await trainee.say(
                f"after-{trainee.number}", f"After the restart, trainee {trainee.number}?"
            )
            turns = await check_transcript(trainee.client, trainee)
            assert turns[-1]["speaker"] == "mentee"
    finally:
        for client in clients:
            await client.aclose()


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_processes_on_one_postgresql_serve_one_session_alternately(pg_url: str) -> None:
    servers = [Server(pg_url), Server(pg_url)]
    try:
        for server in servers:
            server.start()
        async with httpx.AsyncClient(timeout=10) as client:
            trainee = Practice(0, client)
            client.base_url = httpx.URL(servers[0].url)
            await client.get("/api/health")
            await trainee.start()
            for i in range(12):
                client.base_url = httpx.URL(servers[i % 2].url)
                await trainee.say(f"k{i}", f"Turn {i}: and what else matters here?")
            client.base_url = httpx.URL(servers[1].url)
            await trainee.say("k11", "Turn 11: and what else matters here?")  # a retry elsewhere
            for server in servers:
                client.base_url = httpx.URL(server.url)
                turns = await check_transcript(client, trainee)
                assert len(turns) == 1 + 2 * 12
            listed = (await client.get("/api/sessions")).json()
            assert [s["id"] for s in listed] == [trainee.session_id] and listed[0]["turns"] == 25
            ended = await trainee.post(f"/api/sessions/{trainee.session_id}/end", {})
            assert ended.status_code == 200
            client.base_url = httpx.URL(servers[0].url)
            late = await trainee.post(
                f"/api/sessions/{trainee.session_id}/turns", {"text": "One more?"}
            )
            assert late.status_code == 409
    finally:
        for server in servers:
            server.stop()
