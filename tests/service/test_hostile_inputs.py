"""Hostile and broken input gets a 4xx that says what to fix, never a 5xx."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from .helpers import FRAMEWORK, SCENARIO, Trainee

SESSION = "{sid}"  # replaced with a real session id of the caller


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: tuple[int, ...] = (400, 404, 405, 409, 413, 415, 422)


def json_body(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


TURN = f"/api/sessions/{SESSION}/turns"
NEW = "/api/sessions"
CASES = [
    Case("empty text", "POST", TURN, b'{"text": ""}', expect=(422,)),
    Case("blank text", "POST", TURN, b'{"text": "   \\n\\t "}', expect=(422,)),
    Case("text too long", "POST", TURN, json_body('{"text": "' + "a" * 2001 + '"}'), expect=(422,)),
    Case(
        "text far too long",
        "POST",
        TURN,
        json_body('{"text": "' + "a" * 60000 + '"}'),
        expect=(422,),
    ),
    Case("NUL in text", "POST", TURN, b'{"text": "hello\\u0000there"}', expect=(422,)),
    Case("raw NUL byte", "POST", TURN, b'{"text": "hello\x00"}', expect=(400, 422)),
    Case("lone high surrogate", "POST", TURN, b'{"text": "\\ud800"}', expect=(422,)),
    Case("lone low surrogate", "POST", TURN, b'{"text": "ok \\udfff ok"}', expect=(422,)),
    Case("invalid UTF-8", "POST", TURN, b'{"text": "\xff\xfe"}', expect=(400, 422)),
    Case("text is a number", "POST", TURN, b'{"text": 42}', expect=(422,)),
    Case("text is null", "POST", TURN, b'{"text": null}', expect=(422,)),
    Case("text is a list", "POST", TURN, b'{"text": ["a"]}', expect=(422,)),
    Case("unknown field", "POST", TURN, b'{"text": "hi", "admin": true}', expect=(422,)),
    Case("no body", "POST", TURN, None, expect=(422,)),
    Case("body is a list", "POST", TURN, b'["text"]', expect=(422,)),
    Case("body is a string", "POST", TURN, b'"text"', expect=(422,)),
    Case("not JSON", "POST", TURN, b"text=hello", expect=(400, 422)),
    Case("truncated JSON", "POST", TURN, b'{"text": "hel', expect=(400, 422)),
    Case("deeply nested JSON", "POST", TURN, b"[" * 30000 + b"]" * 30000, expect=(400, 413, 422)),
    Case(
        "deeply nested JSON, new session", "POST", NEW, b"[" * 20000 + b"]" * 20000, expect=(400,)
    ),
    Case("oversized body", "POST", TURN, b'{"text": "' + b"a" * 70000 + b'"}', expect=(413,)),
    Case(
        "wrong content type",
        "POST",
        TURN,
        b'{"text": "hi"}',
        {"content-type": "text/plain"},
        expect=(415,),
    ),
    Case(
        "form content type",
        "POST",
        TURN,
        b"text=hi",
        {"content-type": "application/x-www-form-urlencoded"},
        expect=(415,),
    ),
    Case(
        "bad content length",
        "POST",
        TURN,
        b'{"text": "hi"}',
        {"content-length": "abc"},
        expect=(400, 413),
    ),
    Case(
        "empty idempotency key",
        "POST",
        TURN,
        b'{"text": "hi"}',
        {"Idempotency-Key": ""},
        expect=(422,),
    ),
    Case(
        "long idempotency key",
        "POST",
        TURN,
        b'{"text": "hi"}',
        {"Idempotency-Key": "k" * 201},
        expect=(422,),
    ),
    Case(
        "key with spaces",
        "POST",
        TURN,
        b'{"text": "hi"}',
        {"Idempotency-Key": "a b"},
        expect=(422,),
    ),
    Case(
        "unknown scenario", "POST", NEW, b'{"scenario": "nope", "framework": "grow"}', expect=(422,)
    ),
    Case(
        "unknown framework",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "nope"}}'.encode(),
        expect=(422,),
    ),
    Case(
        "NUL in scenario",
        "POST",
        NEW,
        b'{"scenario": "a\\u0000", "framework": "grow"}',
        expect=(422,),
    ),
    Case(
        "surrogate in framework",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "\\udc00"}}'.encode(),
        expect=(422,),
    ),
    Case(
        "huge seed",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "seed": {10**30}}}'.encode(),
        expect=(422,),
    ),
    Case(
        "negative seed",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "seed": -1}}'.encode(),
        expect=(422,),
    ),
    Case(
        "float seed",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "seed": 1.5}}'.encode(),
        expect=(422,),
    ),
    Case(
        "string seed",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "seed": "7"}}'.encode(),
        expect=(422,),
    ),
    Case(
        "huge exponent seed",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "seed": 1e999}}'.encode(),
        expect=(400, 422),
    ),
    Case("missing framework", "POST", NEW, f'{{"scenario": "{SCENARIO}"}}'.encode(), expect=(422,)),
    Case(
        "extra field on create",
        "POST",
        NEW,
        f'{{"scenario": "{SCENARIO}", "framework": "grow", "owner": "x"}}'.encode(),
        expect=(422,),
    ),
    Case(
        "very long scenario id",
        "POST",
        NEW,
        json_body('{"scenario": "' + "s" * 5000 + '", "framework": "grow"}'),
        expect=(422,),
    ),
    Case(
        "unknown stage",
        "POST",
        f"/api/sessions/{SESSION}/stage",
        b'{"to": "../../etc"}',
        expect=(422,),
    ),
    Case("stage is empty", "POST", f"/api/sessions/{SESSION}/stage", b'{"to": ""}', expect=(422,)),
    Case("path traversal", "GET", "/api/sessions/..%2f..%2fetc%2fpasswd"),
    Case(
        "encoded traversal on turns", "POST", "/api/sessions/..%2f..%2fetc/turns", b'{"text": "hi"}'
    ),
    Case("very long id", "GET", "/api/sessions/" + "a" * 5000),
    Case("id with odd characters", "GET", "/api/sessions/%00%ff%fe"),
    Case("sql in id", "GET", "/api/sessions/'%20OR%201=1--"),
    Case(
        "unknown session",
        "POST",
        "/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/turns",
        b'{"text": "hi"}',
        expect=(404,),
    ),
    Case(
        "report of an unknown session",
        "GET",
        "/api/sessions/AAAAAAAAAAAAAAAAAAAAAA/report",
        expect=(404,),
    ),
    Case("wrong method", "DELETE", f"/api/sessions/{SESSION}", expect=(405,)),
    Case("unknown scenario card", "GET", "/api/scenarios/%2e%2e", expect=(404,)),
]


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_hostile_input_gets_a_4xx_with_a_message(client: Trainee, case: Case) -> None:
    response = await client.post(NEW, json={"scenario": SCENARIO, "framework": FRAMEWORK})
    sid = response.json()["id"]
    headers = {"content-type": "application/json", "X-CSRF-Token": client.cookies["empowerer_csrf"]}
    headers.update(case.headers)
    response = await client.request(
        case.method, case.path.replace(SESSION, sid), content=case.body, headers=headers
    )
    assert response.status_code in case.expect, (response.status_code, response.text[:300])
    if response.headers.get("content-type", "").startswith("application/json"):
        assert response.json()["detail"]
    session = (await client.get(f"/api/sessions/{sid}")).json()
    assert len(session["turns"]) == 1  # nothing hostile was stored
