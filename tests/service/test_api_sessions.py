"""The session API as the web UI and scripted trainees use it (docs/API.md)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from .helpers import FRAMEWORK, LINES, SCENARIO, Trainee, trainee


async def test_scenarios_are_cards_without_hidden_layers(client: Trainee) -> None:
    cards = (await client.get("/api/scenarios")).json()
    assert len(cards) >= 1
    card = next(c for c in cards if c["id"] == SCENARIO)
    assert set(card) == {
        "id",
        "title",
        "summary",
        "persona",
        "presenting_issue",
        "tags",
        "difficulty",
        "has_risk",
    }
    assert "voice" not in card["persona"] and "layers" not in card
    assert (await client.get(f"/api/scenarios/{SCENARIO}")).json() == card
    assert (await client.get("/api/scenarios/nope")).status_code == 404


async def test_a_visitor_starts_a_session_and_gets_a_private_guest_cookie(client: Trainee) -> None:
    response = await client.post(
        "/api/sessions", json={"scenario": SCENARIO, "framework": FRAMEWORK}
    )
    assert response.status_code == 201
    cookie = next(
        v for v in response.headers.get_list("set-cookie") if v.startswith("empowerer_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    session = response.json()
    assert session["opening"] and session["turns"][0]["speaker"] == "mentee"
    assert session["stage"] == session["stages"][0]["id"] and session["ended"] is False
    assert session["persona"]["name"] and session["framework"] == {"id": "grow", "name": "GROW"}


async def test_a_turn_gets_a_reply_with_codes_and_is_stored(client: Trainee) -> None:
    sid = await client.start()
    response = await client.say(sid, "  What would you like to get from our time today?  ")
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["reply"] and result["mentor_turn"]["text"] == LINES[0]
    assert result["codes"][0]["code"] == "open_question" and result["primary"] == "open_question"
    assert result["mentee_turn"]["text"] == result["reply"] and 0 <= result["trust"] <= 1
    session = (await client.get(f"/api/sessions/{sid}")).json()
    assert [t["speaker"] for t in session["turns"]] == ["mentee", "mentor", "mentee"]
    assert session["turns"][1]["codes"] and session["turns"][2]["codes"] is None


async def test_my_sessions_are_listed_newest_first_and_nobody_elses(
    client: Trainee, other: Trainee
) -> None:
    first = await client.start()
    second = await client.start(framework="clear")
    await client.say(first, LINES[0])
    theirs = await other.start()
    listed = (await client.get("/api/sessions")).json()
    assert [s["id"] for s in listed] == [first, second]
    assert listed[0]["turns"] == 3 and listed[0]["persona_name"]
    assert [s["id"] for s in (await other.get("/api/sessions")).json()] == [theirs]


async def test_someone_elses_session_is_not_found_for_every_route(
    client: Trainee, other: Trainee
) -> None:
    sid = await client.start()
    await other.get("/api/health")
    for method, path in (
        ("GET", f"/api/sessions/{sid}"),
        ("GET", f"/api/sessions/{sid}/report"),
        ("POST", f"/api/sessions/{sid}/turns"),
        ("POST", f"/api/sessions/{sid}/stage"),
        ("POST", f"/api/sessions/{sid}/end"),
    ):
        if method == "GET":
            response = await other.get(path)
        else:
            body = {"text": "hello"} if path.endswith("turns") else {"to": "goal"}
            response = await other.write(path, body if not path.endswith("end") else {})
        assert response.status_code == 404, (path, response.text)
    anonymous = trainee(client._transport.app)  # type: ignore[attr-defined]
    async with anonymous:
        assert (await anonymous.get(f"/api/sessions/{sid}")).status_code == 404
        assert (await anonymous.get("/api/sessions")).json() == []


async def test_stage_moves_follow_the_guards_and_refusals_say_why(client: Trainee) -> None:
    sid = await client.start()
    refused = await client.write(f"/api/sessions/{sid}/stage", {"to": "will"})
    assert refused.status_code == 409 and "story" in refused.json()["detail"]
    unknown = await client.write(f"/api/sessions/{sid}/stage", {"to": "nowhere"})
    assert unknown.status_code == 422 and "goal" in unknown.json()["detail"]
    await client.say(sid, LINES[0])
    moved = await client.write(f"/api/sessions/{sid}/stage", {"to": "reality"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["accepted"] is True and moved.json()["stage"] == "reality"
    assert (await client.get(f"/api/sessions/{sid}")).json()["stage"] == "reality"


async def test_ending_scores_the_session_and_refuses_further_turns(client: Trainee) -> None:
    sid = await client.start()
    for line in LINES[:4]:
        assert (await client.say(sid, line)).status_code == 200
    so_far = (await client.get(f"/api/sessions/{sid}/report")).json()
    assert 0 <= so_far["overall"]["score"] <= 100
    ended = await client.write(f"/api/sessions/{sid}/end")
    assert ended.status_code == 200
    body = ended.json()
    assert body["ended"] is True and body["score"] == so_far["overall"]["score"]
    assert body["band"] == so_far["overall"]["band"]
    again = await client.say(sid, "One more thing?")
    assert again.status_code == 409 and "ended" in again.json()["detail"]
    assert (await client.write(f"/api/sessions/{sid}/end")).json()["score"] == body["score"]
    assert (await client.get("/api/sessions")).json()[0]["ended"] is True


async def test_a_write_with_the_identity_cookie_but_no_csrf_token_is_refused(
    client: Trainee,
) -> None:
    sid = await client.start()
    response = await client.post(f"/api/sessions/{sid}/turns", json={"text": "Hello?"})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Missing or wrong X-CSRF-Token header: send the value of the empowerer_csrf cookie."
    )
    wrong = await client.post(
        f"/api/sessions/{sid}/turns", json={"text": "Hello?"}, headers={"X-CSRF-Token": "nope"}
    )
    assert wrong.status_code == 403
    assert (await client.get(f"/api/sessions/{sid}")).json()["turns"][-1]["index"] == 0


async def test_every_response_carries_the_security_headers_and_a_csrf_cookie(app: FastAPI) -> None:
    async with trainee(app) as fresh:
        for path in ("/api/health", "/api/scenarios", "/", "/api/sessions/x", "/no/such/page"):
            response = await fresh.get(path)
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
            assert "'unsafe-inline'" not in response.headers["content-security-policy"]
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["referrer-policy"] == "same-origin"
        csrf = fresh.cookies.get("empowerer_csrf")
        assert csrf
        again = await fresh.get("/api/health")
        assert not any(
            c.startswith("empowerer_csrf=") for c in again.headers.get_list("set-cookie")
        )


async def test_the_openapi_declares_the_refusals(client: Trainee) -> None:
    schema = (await client.get("/openapi.json")).json()
    turn = schema["paths"]["/api/sessions/{session_id}/turns"]["post"]
    assert {"400", "403", "404", "409", "413", "415", "422"} <= set(turn["responses"])
    params = {p["name"] for p in turn["parameters"]}
    assert "Idempotency-Key" in params


@pytest.mark.parametrize("framework", ["egan", "grow", "clear", "oskar"])
async def test_every_framework_can_be_practised(client: Trainee, framework: str) -> None:
    sid = await client.start(framework=framework)
    for line in LINES[:3]:
        assert (await client.say(sid, line)).status_code == 200
    assert (await client.write(f"/api/sessions/{sid}/end")).status_code == 200
