"""A small world for the access tests: an admin, two cohorts (A, B) with a facilitator and a
trainee each, a guest, an anonymous visitor, and objects each of them owns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from server.paths import data_dir

PASSWORD = "a long enough password"
ROLES = ("anonymous", "guest", "trainee_a", "trainee_b", "facilitator_a", "facilitator_b", "admin")
SCENARIO = "gp-partner-school-run"
FRAMEWORK = "grow"
MENTOR_LINE = "What would you like to get from our time today?"


class Client(AsyncClient):
    """A browser-like client: keeps cookies, sends the CSRF token on every write."""

    async def send_json(self, method: str, path: str, body: Any = None, **kw: Any) -> Response:
        headers = dict(kw.pop("headers", {}))
        token = self.cookies.get("empowerer_csrf")
        if token and method != "GET":
            headers.setdefault("X-CSRF-Token", token)
        if body is None or method in ("GET", "DELETE"):
            return await self.request(method, path, headers=headers, **kw)
        return await self.request(method, path, json=body, headers=headers, **kw)

    async def ok(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = await self.send_json(method, path, body)
        assert response.status_code == status, (method, path, response.status_code, response.text)
        return response.json() if response.content else None


def client(app: FastAPI) -> Client:
    return Client(transport=ASGITransport(app=app), base_url="http://testserver")


def scenario_yaml(new_id: str) -> str:
    """A built-in scenario's file with another id: a draft that passes the gate."""
    text = (data_dir("scenarios") / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    return text.replace(f"id: {SCENARIO}", f"id: {new_id}", 1)


@dataclass
class World:
    app: FastAPI
    clients: dict[str, Client] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def email(self, role: str) -> str:
        return f"{role}@example.org"

    async def login(self, role: str, c: Client | None = None) -> Client:
        c = c or client(self.app)
        await c.get("/api/health")
        await c.ok("POST", "/api/auth/login", {"email": self.email(role), "password": PASSWORD})
        return c

    async def relogin(self) -> None:
        for role in ROLES[2:]:
            await self.clients[role].aclose()
            self.clients[role] = await self.login(role)

    async def fresh_session(self, role: str, assignment: str | None = None) -> str:
        body = (
            {"assignment": assignment}
            if assignment
            else {"scenario": SCENARIO, "framework": FRAMEWORK}
        )
        made = await self.clients[role].ok("POST", "/api/sessions", body, 201)
        return str(made["id"])

    async def fresh_walkthrough(self, role: str) -> str:
        made = await self.clients[role].ok(
            "POST", "/api/walkthroughs", {"framework": FRAMEWORK}, 201
        )
        return str(made["id"])

    async def close(self) -> None:
        for c in self.clients.values():
            await c.aclose()


async def build(app: FastAPI) -> World:
    w = World(app)
    admin = client(app)
    await admin.get("/api/health")
    body = {"email": w.email("admin"), "password": PASSWORD, "name": "Ada Admin"}
    w.users["admin"] = await admin.ok("POST", "/api/auth/signup", body, 201)
    assert w.users["admin"]["role"] == "admin"
    w.clients["admin"] = admin
    for role in ("trainee_a", "trainee_b", "facilitator_a", "facilitator_b", "facilitator_x"):
        c = client(app)
        await c.get("/api/health")
        body = {"email": w.email(role), "password": PASSWORD, "name": role.replace("_", " ")}
        w.users[role] = await c.ok("POST", "/api/auth/signup", body, 201)
        assert w.users[role]["role"] == "trainee"
        if role.startswith("facilitator"):
            await admin.ok("PATCH", f"/api/users/{w.users[role]['id']}", {"role": "facilitator"})
            w.users[role]["role"] = "facilitator"
        w.clients[role] = c
    guest = client(app)
    w.clients["guest"] = guest
    w.clients["anonymous"] = client(app)
    w.ids["session_guest"] = await w.fresh_session("guest")
    for side in "ab":
        fac, trainee = w.clients[f"facilitator_{side}"], w.clients[f"trainee_{side}"]
        cohort = await fac.ok("POST", "/api/cohorts", {"name": f"Cohort {side.upper()}"}, 201)
        w.ids[f"cohort_{side}"] = cohort["id"]
        w.ids[f"code_{side}"] = cohort["join_code"]
        await trainee.ok("POST", "/api/cohorts/join", {"code": cohort["join_code"]})
        task = {"scenario": SCENARIO, "framework": FRAMEWORK, "due": "2030-01-31"}
        made = await fac.ok("POST", f"/api/cohorts/{cohort['id']}/assignments", task, 201)
        w.ids[f"assignment_{side}"] = made["id"]
        sid = await w.fresh_session(f"trainee_{side}", made["id"])
        await trainee.ok("POST", f"/api/sessions/{sid}/turns", {"text": MENTOR_LINE})
        w.ids[f"session_{side}"] = sid
        w.ids[f"private_{side}"] = await w.fresh_session(f"trainee_{side}")
        draft = await fac.ok(
            "POST", "/api/authoring/scenarios", {"yaml": scenario_yaml(f"draft-{side}")}, 201
        )
        assert draft["gate"]["ok"], draft["gate"]
        w.ids[f"draft_{side}"] = draft["id"]
        published = await fac.ok(
            "POST", f"/api/authoring/scenarios/{draft['id']}/publish", {"cohort": cohort["id"]}
        )
        w.ids[f"published_{side}"] = published["scenario"]
    spare = await admin.ok("POST", "/api/cohorts", {"name": "Spare"}, 201)
    w.ids["code_spare"] = spare["join_code"]
    w.ids["cohort_spare"] = spare["id"]
    for role in ROLES[1:]:
        w.ids[f"walk_{role}"] = await w.fresh_walkthrough(role)
    return w


def write_file(path: Path, text: str) -> None:  # pragma: no cover - debugging aid
    path.write_text(text)
