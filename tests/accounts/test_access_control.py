"""Access control, all of it in one table: every route x every role x own and foreign objects.

The routes are enumerated from the app, so a route added without a row here fails. Roles:
anonymous (no cookie), guest, a trainee of cohort A and of B, a facilitator of A and of B, and the
admin. "Own" is the object a role may use (its session, its cohort, its draft; for a facilitator
the session of its cohort's trainee); "foreign" is the other side's. A foreign object is 404, 403 is
only for a role that may never do the thing (with a message), 401 for a visitor without an account.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from fastapi.routing import iter_route_contexts

from server.app import create_app
from server.catalog import Catalog, load_catalog
from server.config import Settings

from .world import FRAMEWORK, MENTOR_LINE, PASSWORD, ROLES, World, build, client, scenario_yaml

CATALOG: Catalog = load_catalog(Settings())
NOWHERE = "AAAAAAAAAAAAAAAAAAAAAA"  # a well-formed id nobody has
SIDE = {"trainee_a": "a", "facilitator_a": "a", "trainee_b": "b", "facilitator_b": "b"}

Status = int | tuple[int, ...]
# role -> (own, foreign)
Expect = dict[str, tuple[Status, Status]]


def same(status: Status) -> Expect:
    return {role: (status, status) for role in ROLES}


def by_role(
    anonymous: tuple[Status, Status],
    guest: tuple[Status, Status],
    trainee: tuple[Status, Status],
    facilitator: tuple[Status, Status],
    admin: tuple[Status, Status],
) -> Expect:
    return {
        "anonymous": anonymous,
        "guest": guest,
        "trainee_a": trainee,
        "trainee_b": trainee,
        "facilitator_a": facilitator,
        "facilitator_b": facilitator,
        "admin": admin,
    }


def side(role: str, foreign: bool) -> str:
    """A role's side of the world (anonymous, guest and admin count as A), or the other one."""
    mine = SIDE.get(role, "a")
    return ("b" if mine == "a" else "a") if foreign else mine


# -- the objects each role calls its own or a foreign one ------------------------------------------


def session_id(w: World, role: str, foreign: bool) -> str:
    if role == "admin":
        return w.ids["private_a"] if foreign else w.ids["session_a"]
    if role == "guest" and not foreign:
        return w.ids["session_guest"]
    if role == "anonymous" and not foreign:
        return NOWHERE
    return w.ids[f"session_{side(role, foreign)}"]


def cohort_id(w: World, role: str, foreign: bool) -> str:
    if role == "admin" and foreign:
        return NOWHERE
    return w.ids[f"cohort_{side(role, foreign)}"]


def draft_id(w: World, role: str, foreign: bool) -> str:
    if role == "admin":
        return w.ids["draft_a"] if foreign else w.ids["draft_admin"]
    return w.ids[f"draft_{side(role, foreign)}"]


def walk_id(w: World, role: str, foreign: bool) -> str:
    if foreign or role == "anonymous":
        return w.ids["walk_trainee_b" if role == "trainee_a" else "walk_trainee_a"]
    return w.ids[f"walk_{role}"]


def user_id(w: World, role: str, foreign: bool) -> str:
    if foreign or role in ("anonymous", "guest"):
        return str(w.users["trainee_a" if role == "trainee_b" else "trainee_b"]["id"])
    return str(w.users[role]["id"])


@dataclass
class Case:
    """How to call one route as a role, for its own or a foreign object, and what must happen."""

    path: Callable[[World, str, bool], str]
    expect: Expect
    body: Callable[[World, str, bool], Any] | None = None
    prepare: str | None = None  # "fresh_login", "fresh_session", "fresh_walk"
    then: str | None = None  # "relogin"


def fixed(path: str) -> Callable[[World, str, bool], str]:
    return lambda w, role, foreign: path


def on(kind: Callable[[World, str, bool], str], suffix: str, prefix: str) -> Callable[..., str]:
    return lambda w, role, foreign: f"{prefix}/{kind(w, role, foreign)}{suffix}"


def session_path(suffix: str = "") -> Callable[..., str]:
    return on(session_id, suffix, "/api/sessions")


def cohort_path(suffix: str = "") -> Callable[..., str]:
    return on(cohort_id, suffix, "/api/cohorts")


def draft_path(suffix: str = "") -> Callable[..., str]:
    return on(draft_id, suffix, "/api/authoring/scenarios")


def walk_path(suffix: str = "") -> Callable[..., str]:
    return on(walk_id, suffix, "/api/walkthroughs")


def const(value: Any) -> Callable[..., Any]:
    return lambda w, role, foreign: value


NO_ACCOUNT = (401, 401)
OWNER_ONLY = by_role((404, 404), (200, 404), (200, 404), (404, 404), (404, 404))
READABLE = by_role((404, 404), (200, 404), (200, 404), (200, 404), (200, 404))
REVIEW = by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (200, 404), (200, 404))
DESK = by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (200, 404), (200, 404))
MEMBERS = by_role(NO_ACCOUNT, NO_ACCOUNT, (200, 404), (200, 404), (200, 404))
AUTHORS = by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (200, 404), (200, 404))
WALK = by_role((404, 404), (200, 404), (200, 404), (200, 404), (200, 404))
WALK_STEP = by_role(
    (404, 404), ((200, 409), 404), ((200, 409), 404), ((200, 409), 404), ((200, 409), 404)
)
ACCOUNTS = by_role(NO_ACCOUNT, NO_ACCOUNT, (200, 200), (200, 200), (200, 200))
CORRECTION = {"codes": [{"code": "open_question"}], "primary": "open_question"}


def with_status(expect: Expect, old: int, new: int) -> Expect:
    def swap(s: Status) -> Status:
        return new if s == old else s

    return {role: (swap(a), swap(b)) for role, (a, b) in expect.items()}


def own_cohort_body(w: World, role: str, foreign: bool) -> dict[str, str]:
    return {"cohort": w.ids[f"cohort_{side(role, False)}"]}


TABLE: dict[tuple[str, str], Case] = {
    ("GET", "/api/health"): Case(fixed("/api/health"), same(200)),
    ("GET", "/api/frameworks"): Case(fixed("/api/frameworks"), same(200)),
    ("GET", "/api/frameworks/{framework_id}"): Case(fixed("/api/frameworks/grow"), same(200)),
    ("GET", "/api/scenarios"): Case(fixed("/api/scenarios"), same(200)),
    ("GET", "/api/scenarios/{scenario_id}"): Case(
        lambda w, role, foreign: f"/api/scenarios/{w.ids['published_' + side(role, foreign)]}",
        by_role((404, 404), (404, 404), (200, 404), (200, 404), (404, 404)),
    ),
    ("GET", "/api/exemplar"): Case(
        fixed(f"/api/exemplar?scenario=gp-partner-school-run&framework={FRAMEWORK}"), same(200)
    ),
    ("POST", "/api/sessions"): Case(
        fixed("/api/sessions"),
        by_role((404, 404), (404, 404), (201, 404), (201, 404), (404, 404)),
        body=lambda w, role, foreign: {"assignment": w.ids[f"assignment_{side(role, foreign)}"]},
    ),
    ("GET", "/api/sessions"): Case(fixed("/api/sessions"), same(200)),
    ("GET", "/api/sessions/{session_id}"): Case(session_path(), READABLE),
    ("GET", "/api/sessions/{session_id}/report"): Case(session_path("/report"), READABLE),
    ("POST", "/api/sessions/{session_id}/turns"): Case(
        session_path("/turns"), OWNER_ONLY, body=const({"text": MENTOR_LINE})
    ),
    ("POST", "/api/sessions/{session_id}/stage"): Case(
        session_path("/stage"),
        by_role((404, 404), ((200, 409), 404), ((200, 409), 404), (404, 404), (404, 404)),
        body=const({"to": "reality"}),
    ),
    ("POST", "/api/sessions/{session_id}/end"): Case(
        session_path("/end"), OWNER_ONLY, prepare="fresh_session"
    ),
    ("POST", "/api/sessions/{session_id}/share"): Case(
        session_path("/share"),
        by_role((404, 404), (404, 404), (200, 404), (404, 404), (404, 404)),
        body=own_cohort_body,
    ),
    ("DELETE", "/api/sessions/{session_id}/share"): Case(
        session_path("/share"),
        by_role((404, 404), (204, 404), (204, 404), (404, 404), (404, 404)),
    ),
    ("PUT", "/api/sessions/{session_id}/turns/{index}/correction"): Case(
        session_path("/turns/1/correction"), REVIEW, body=const(CORRECTION)
    ),
    ("DELETE", "/api/sessions/{session_id}/turns/{index}/correction"): Case(
        session_path("/turns/1/correction"), REVIEW
    ),
    ("POST", "/api/sessions/{session_id}/turns/{index}/comments"): Case(
        session_path("/turns/1/comments"),
        with_status(REVIEW, 200, 201),
        body=const({"text": "A good open question."}),
    ),
    ("POST", "/api/walkthroughs"): Case(
        fixed("/api/walkthroughs"), same(201), body=const({"framework": FRAMEWORK})
    ),
    ("GET", "/api/walkthroughs"): Case(fixed("/api/walkthroughs"), same(200)),
    ("GET", "/api/walkthroughs/{walk_id}"): Case(walk_path(), WALK),
    ("POST", "/api/walkthroughs/{walk_id}/answers"): Case(
        walk_path("/answers"), WALK_STEP, body=const({"text": "I would like to sleep better."})
    ),
    ("POST", "/api/walkthroughs/{walk_id}/back"): Case(walk_path("/back"), WALK_STEP),
    ("POST", "/api/walkthroughs/{walk_id}/skip"): Case(walk_path("/skip"), WALK_STEP),
    ("POST", "/api/walkthroughs/{walk_id}/pause"): Case(walk_path("/pause"), WALK_STEP),
    ("POST", "/api/walkthroughs/{walk_id}/resume"): Case(walk_path("/resume"), WALK_STEP),
    ("GET", "/api/walkthroughs/{walk_id}/plan.md"): Case(walk_path("/plan.md"), WALK),
    ("GET", "/api/walkthroughs/{walk_id}/plan.ics"): Case(
        walk_path("/plan.ics"),
        by_role(
            (404, 404), ((200, 404), 404), ((200, 404), 404), ((200, 404), 404), ((200, 404), 404)
        ),
    ),
    ("GET", "/api/walkthroughs/{walk_id}/export"): Case(walk_path("/export"), WALK),
    ("DELETE", "/api/walkthroughs/{walk_id}"): Case(
        walk_path(), with_status(WALK, 200, 204), prepare="fresh_walk"
    ),
    ("POST", "/api/auth/signup"): Case(
        fixed("/api/auth/signup"),
        same(201),
        body=lambda w, role, foreign: {
            "email": f"new-{role}-{int(foreign)}@example.org",
            "password": PASSWORD,
            "name": "Someone New",
        },
        prepare="fresh_login",
    ),
    ("POST", "/api/auth/login"): Case(
        fixed("/api/auth/login"),
        same(200),
        body=lambda w, role, foreign: {
            "email": w.email(role if role in SIDE or role == "admin" else "trainee_a"),
            "password": PASSWORD,
        },
        prepare="fresh_login",
    ),
    ("POST", "/api/auth/logout"): Case(fixed("/api/auth/logout"), same(204), prepare="fresh_login"),
    ("GET", "/api/auth/me"): Case(fixed("/api/auth/me"), {**same(200), "anonymous": NO_ACCOUNT}),
    ("POST", "/api/auth/password"): Case(
        fixed("/api/auth/password"),
        by_role(NO_ACCOUNT, NO_ACCOUNT, (204, 204), (204, 204), (204, 204)),
        body=const({"current": PASSWORD, "new": PASSWORD}),
        prepare="fresh_login",
        then="relogin",
    ),
    ("GET", "/api/users"): Case(
        fixed("/api/users"), by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (403, 403), (200, 200))
    ),
    ("PATCH", "/api/users/{user_id}"): Case(
        on(user_id, "", "/api/users"),
        by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (403, 403), (200, 200)),
        body=lambda w, role, foreign: {
            "role": "admin" if role == "admin" and not foreign else "trainee"
        },
    ),
    ("POST", "/api/cohorts"): Case(
        fixed("/api/cohorts"),
        by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (201, 201), (201, 201)),
        body=const({"name": "Another cohort"}),
    ),
    ("GET", "/api/cohorts"): Case(fixed("/api/cohorts"), ACCOUNTS),
    ("POST", "/api/cohorts/join"): Case(
        fixed("/api/cohorts/join"),
        ACCOUNTS,
        body=lambda w, role, foreign: {
            "code": w.ids["code_spare" if foreign else f"code_{side(role, False)}"]
        },
    ),
    ("GET", "/api/cohorts/{cohort_id}"): Case(cohort_path(), MEMBERS),
    ("POST", "/api/cohorts/{cohort_id}/facilitators"): Case(
        cohort_path("/facilitators"),
        DESK,
        body=lambda w, role, foreign: {"email": w.email("facilitator_x")},
    ),
    ("POST", "/api/cohorts/{cohort_id}/assignments"): Case(
        cohort_path("/assignments"),
        with_status(DESK, 200, 201),
        body=const({"scenario": "gp-partner-school-run", "framework": FRAMEWORK}),
    ),
    ("GET", "/api/cohorts/{cohort_id}/assignments"): Case(cohort_path("/assignments"), MEMBERS),
    ("GET", "/api/cohorts/{cohort_id}/dashboard"): Case(cohort_path("/dashboard"), DESK),
    ("GET", "/api/cohorts/{cohort_id}/sessions"): Case(cohort_path("/sessions"), DESK),
    ("GET", "/api/cohorts/{cohort_id}/agreement"): Case(cohort_path("/agreement"), DESK),
    ("GET", "/api/cohorts/{cohort_id}/export.csv"): Case(cohort_path("/export.csv"), DESK),
    ("GET", "/api/cohorts/{cohort_id}/export.json"): Case(cohort_path("/export.json"), DESK),
    ("GET", "/api/assignments"): Case(fixed("/api/assignments"), ACCOUNTS),
    ("POST", "/api/authoring/scenarios"): Case(
        fixed("/api/authoring/scenarios"),
        by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (201, 201), (201, 201)),
        body=lambda w, role, foreign: {"yaml": scenario_yaml(f"new-{side(role, False)}")},
    ),
    ("GET", "/api/authoring/scenarios"): Case(
        fixed("/api/authoring/scenarios"),
        by_role(NO_ACCOUNT, NO_ACCOUNT, (403, 403), (200, 200), (200, 200)),
    ),
    ("GET", "/api/authoring/scenarios/{draft_id}"): Case(draft_path(), AUTHORS),
    ("PUT", "/api/authoring/scenarios/{draft_id}"): Case(
        draft_path(),
        AUTHORS,
        body=lambda w, role, foreign: {"yaml": scenario_yaml(f"draft-{side(role, False)}")},
    ),
    ("POST", "/api/authoring/scenarios/{draft_id}/publish"): Case(
        draft_path("/publish"), AUTHORS, body=own_cohort_body
    ),
    ("GET", "/api/{rest:path}"): Case(fixed("/api/no-such-route"), same(404)),
}


def app_routes() -> list[tuple[str, str]]:
    """Every (method, path) the app serves under /api (the fallback counted once, as GET)."""
    app = create_app(Settings(db_url=f"sqlite:///{tempfile.mkdtemp()}/routes.db"), CATALOG)
    found = []
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if not path.startswith("/api"):
            continue
        methods = sorted(route.methods or ())
        if path == "/api/{rest:path}":
            methods = ["GET"]
        found += [(m, path) for m in methods if m != "HEAD"]
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    db = tmp_path_factory.mktemp("access") / "access.db"
    app = create_app(Settings(db_url=f"sqlite:///{db}"), CATALOG)
    async with app.router.lifespan_context(app):
        built = await build(app)
        admin = built.clients["admin"]
        draft = await admin.ok(
            "POST", "/api/authoring/scenarios", {"yaml": scenario_yaml("draft-admin")}, 201
        )
        built.ids["draft_admin"] = draft["id"]
        try:
            yield built
        finally:
            await built.close()


async def caller(w: World, role: str, case: Case, foreign: bool) -> tuple[Any, bool]:
    """The client to call with (a fresh one for calls that replace the session), and whether to
    close it afterwards."""
    if case.prepare == "fresh_login":
        if role in SIDE or role == "admin":
            return await w.login(role), True
        fresh = client(w.app)
        if role == "guest":
            await fresh.ok(
                "POST",
                "/api/sessions",
                {"scenario": "gp-partner-school-run", "framework": FRAMEWORK},
                201,
            )
        return fresh, True
    if role == "anonymous":  # a visitor with no cookie at all, every time
        return client(w.app), True
    return w.clients[role], False


async def path_for(w: World, role: str, case: Case, foreign: bool) -> str:
    if (
        case.prepare == "fresh_session"
        and not foreign
        and role in ("guest", "trainee_a", "trainee_b")
    ):
        return f"/api/sessions/{await w.fresh_session(role)}/end"
    if case.prepare == "fresh_walk" and not foreign and role != "anonymous":
        return f"/api/walkthroughs/{await w.fresh_walkthrough(role)}"
    return case.path(w, role, foreign)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("method", "route"), app_routes())
async def test_every_route_for_every_role_own_and_foreign(
    world: World, method: str, route: str
) -> None:
    case = TABLE.get((method, route))
    assert case is not None, f"{method} {route} has no row in the access table: add one"
    failures = []
    for role in ROLES:
        for foreign in (False, True):
            c, close = await caller(world, role, case, foreign)
            path = await path_for(world, role, case, foreign)
            body = case.body(world, role, foreign) if case.body else None
            response = await c.send_json(method, path, body)
            if close:
                await c.aclose()
            if case.then == "relogin":
                await world.relogin()
            wanted = case.expect[role][1 if foreign else 0]
            allowed = wanted if isinstance(wanted, tuple) else (wanted,)
            if response.status_code not in allowed:
                which = "foreign" if foreign else "own"
                failures.append(
                    f"{role} {which}: {method} {path} -> {response.status_code} (want {wanted}) "
                    f"{response.text[:160]}"
                )
            elif response.status_code == 403:
                assert response.json()["detail"], "a 403 says why"
    assert not failures, "\n".join(failures)
