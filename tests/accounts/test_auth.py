"""Accounts: server-side sessions, CSRF, the login rate limit, passwords never leaking, guests
keeping their sessions, the first account being the admin, the admin CLI."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest
from fastapi import FastAPI

from server.app import create_app
from server.catalog import Catalog
from server.cli import main
from server.config import Settings

from .world import FRAMEWORK, MENTOR_LINE, SCENARIO, Client, client

PASSWORD = "correct horse battery staple"


async def signup(app: FastAPI, email: str, c: Client | None = None) -> Client:
    c = c or client(app)
    await c.get("/api/health")
    body = {"email": email, "password": PASSWORD, "name": "Pat Trainee"}
    await c.ok("POST", "/api/auth/signup", body, 201)
    return c


async def test_the_first_account_is_the_admin_and_later_ones_trainees(app: FastAPI) -> None:
    first = await signup(app, "first@example.org")
    second = await signup(app, "second@example.org")
    assert (await first.ok("GET", "/api/auth/me"))["role"] == "admin"
    me = await second.ok("GET", "/api/auth/me")
    assert me["role"] == "trainee" and me["email"] == "second@example.org"
    duplicate = await client(app).send_json(
        "POST",
        "/api/auth/signup",
        {"email": "First@Example.org", "password": PASSWORD, "name": "X"},
    )
    assert duplicate.status_code == 409


async def test_logout_kills_the_session_on_the_server(app: FastAPI) -> None:
    c = await signup(app, "ann@example.org")
    token = c.cookies["empowerer_session"]
    session = await c.ok(
        "POST", "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK}, 201
    )
    assert (await c.send_json("POST", "/api/auth/logout")).status_code == 204
    replay = client(app)
    replay.cookies.set("empowerer_session", token)
    assert (await replay.get("/api/auth/me")).status_code == 401
    assert (await replay.get(f"/api/sessions/{session['id']}")).status_code == 404
    assert await replay.ok("GET", "/api/sessions") == []


async def test_a_revoked_token_is_refused_at_once_by_another_process(
    app: FastAPI, db_url: str, catalog: Catalog
) -> None:
    other = create_app(Settings(db_url=db_url), catalog)  # a second server on the same database
    async with other.router.lifespan_context(other):
        c = await signup(app, "bea@example.org")
        token = c.cookies["empowerer_session"]
        there = client(other)
        there.cookies.set("empowerer_session", token)
        assert (await there.get("/api/auth/me")).status_code == 200
        assert (await c.send_json("POST", "/api/auth/logout")).status_code == 204
        assert (await there.get("/api/auth/me")).status_code == 401


async def test_a_password_change_kills_every_other_session(app: FastAPI) -> None:
    here = await signup(app, "cal@example.org")
    there = client(app)
    await there.get("/api/health")
    await there.ok("POST", "/api/auth/login", {"email": "cal@example.org", "password": PASSWORD})
    new = "another long password"
    done = await here.send_json("POST", "/api/auth/password", {"current": PASSWORD, "new": new})
    assert done.status_code == 204
    assert (await there.get("/api/auth/me")).status_code == 401
    assert (await here.get("/api/auth/me")).status_code == 200
    fresh = client(app)
    old = await fresh.send_json(
        "POST", "/api/auth/login", {"email": "cal@example.org", "password": PASSWORD}
    )
    assert old.status_code == 401
    await fresh.ok("POST", "/api/auth/login", {"email": "cal@example.org", "password": new})


async def test_a_write_without_the_csrf_header_is_refused(app: FastAPI) -> None:
    c = await signup(app, "dan@example.org")
    for method, path, body in (
        ("POST", "/api/cohorts/join", {"code": "ABC"}),
        ("POST", "/api/auth/logout", {}),
        ("POST", "/api/auth/password", {"current": PASSWORD, "new": "whatever-long"}),
    ):
        refused = await c.request(method, path, json=body)
        assert refused.status_code == 403
        assert "X-CSRF-Token" in refused.json()["detail"]
    assert (await c.get("/api/auth/me")).status_code == 200  # the logout did not happen


async def test_failed_logins_are_limited_per_email_across_processes(
    app: FastAPI, db_url: str, catalog: Catalog
) -> None:
    await signup(app, "eve@example.org")
    other = create_app(Settings(db_url=db_url), catalog)
    async with other.router.lifespan_context(other):
        wrong = {"email": "eve@example.org", "password": "not the password"}
        for i in range(5):
            target = app if i % 2 else other  # the failures land on both servers
            answer = await client(target).send_json("POST", "/api/auth/login", wrong)
            assert answer.status_code == 401
            assert answer.json()["detail"] == "Wrong email or password."
        right = {"email": "eve@example.org", "password": PASSWORD}
        for target in (app, other):
            limited = await client(target).send_json("POST", "/api/auth/login", right)
            assert limited.status_code == 429
            assert int(limited.headers["Retry-After"]) > 0


async def test_passwords_are_never_logged_nor_returned(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Sup3r-secret-passphrase"
    caplog.set_level(logging.DEBUG)
    c = client(app)
    await c.get("/api/health")
    answers = [
        await c.send_json(
            "POST",
            "/api/auth/signup",
            {"email": "fay@example.org", "password": secret, "name": "Fay"},
        ),
        await c.send_json(
            "POST", "/api/auth/login", {"email": "fay@example.org", "password": secret}
        ),
        await c.send_json(
            "POST", "/api/auth/login", {"email": "fay@example.org", "password": secret + "x"}
        ),
        await c.send_json(
            "POST", "/api/auth/signup", {"email": "bad", "password": secret, "name": "Fay"}
        ),
        await c.send_json(
            "POST", "/api/auth/signup", {"email": "g@example.org", "password": secret, "name": ""}
        ),
        await c.send_json("POST", "/api/auth/password", {"current": secret, "new": secret + "2"}),
        await c.send_json("GET", "/api/auth/me"),
    ]
    assert [a.status_code for a in answers] == [201, 200, 401, 422, 422, 204, 200]
    admin = await c.ok("GET", "/api/users")
    for text in [a.text for a in answers] + [str(admin), caplog.text]:
        assert secret not in text
        assert "argon2" not in text and "password_hash" not in text


async def test_a_guest_who_signs_up_or_logs_in_keeps_their_sessions(app: FastAPI) -> None:
    guest = client(app)
    started = await guest.ok(
        "POST", "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK}, 201
    )
    await signup(app, "gil@example.org", guest)
    assert [s["id"] for s in await guest.ok("GET", "/api/sessions")] == [started["id"]]
    another_guest = client(app)
    second = await another_guest.ok(
        "POST", "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK}, 201
    )
    await another_guest.ok(
        "POST", "/api/auth/login", {"email": "gil@example.org", "password": PASSWORD}
    )
    mine = {s["id"] for s in await another_guest.ok("GET", "/api/sessions")}
    assert mine == {started["id"], second["id"]}
    await another_guest.ok("POST", f"/api/sessions/{second['id']}/turns", {"text": MENTOR_LINE})


async def test_only_an_admin_changes_roles_and_the_last_admin_stays(app: FastAPI) -> None:
    admin = await signup(app, "hal@example.org")
    trainee = await signup(app, "ida@example.org")
    ida = await trainee.ok("GET", "/api/auth/me")
    refused = await trainee.send_json("PATCH", f"/api/users/{ida['id']}", {"role": "admin"})
    assert refused.status_code == 403 and refused.json()["detail"]
    made = await admin.ok("PATCH", f"/api/users/{ida['id']}", {"role": "facilitator"})
    assert made["role"] == "facilitator"
    assert (await trainee.ok("GET", "/api/auth/me"))["role"] == "facilitator"  # at once
    hal = await admin.ok("GET", "/api/auth/me")
    last = await admin.send_json("PATCH", f"/api/users/{hal['id']}", {"role": "trainee"})
    assert last.status_code == 409


def test_the_admin_command_creates_an_admin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.config import get_settings

    monkeypatch.setenv("EMPOWERER_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO("a long admin password\n"))
        args = [
            "admin",
            "create",
            "--email",
            "Root@Example.org",
            "--name",
            "Root",
            "--password-stdin",
        ]
        assert main(args) == 0
        assert "root@example.org" in capsys.readouterr().out
        monkeypatch.setattr(sys, "stdin", io.StringIO("a long admin password\n"))
        assert main(args) == 1
        assert "exists" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
