"""The facilitator's desk end to end through the API: a cohort, an assignment, a trainee who joins
and completes it, the facilitator's dashboard, a correction (report recomputed, both codes kept), a
comment the trainee sees, agreement, exports; sharing, exam mode, the support card, authoring."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import FastAPI

from .world import FRAMEWORK, PASSWORD, SCENARIO, Client, client, scenario_yaml

LINES = (
    "What would you like to get from our time today?",
    "It sounds like the evenings are where it all piles up.",
    "You should just hire a nanny.",
    "What matters most to you about this?",
)


async def account(app: FastAPI, email: str, admin: Client | None = None, role: str = "") -> Client:
    c = client(app)
    await c.get("/api/health")
    me = await c.ok(
        "POST", "/api/auth/signup", {"email": email, "password": PASSWORD, "name": email[:3]}, 201
    )
    if admin is not None and role:
        await admin.ok("PATCH", f"/api/users/{me['id']}", {"role": role})
    return c


async def setup(app: FastAPI) -> tuple[Client, Client, Client, dict[str, Any]]:
    admin = await account(app, "admin@example.org")
    fac = await account(app, "fac@example.org", admin, "facilitator")
    trainee = await account(app, "tia@example.org")
    cohort = await fac.ok("POST", "/api/cohorts", {"name": "Spring"}, 201)
    assert cohort["join_url"] == f"/#/join/{cohort['join_code']}"
    joined = await trainee.ok("POST", "/api/cohorts/join", {"code": cohort["join_code"].lower()})
    assert joined == {"id": cohort["id"], "name": "Spring", "role": "member"}
    return admin, fac, trainee, cohort


async def test_a_trainee_completes_an_assignment_and_the_facilitator_reviews_it(
    app: FastAPI,
) -> None:
    _, fac, trainee, cohort = await setup(app)
    cid = cohort["id"]
    task = {
        "scenario": SCENARIO,
        "framework": FRAMEWORK,
        "due": "2030-05-01",
        "target_band": "good",
    }
    assignment = await fac.ok("POST", f"/api/cohorts/{cid}/assignments", task, 201)
    mine = await trainee.ok("GET", "/api/assignments")
    assert [(a["id"], a["status"]) for a in mine] == [(assignment["id"], "todo")]

    session = await trainee.ok("POST", "/api/sessions", {"assignment": assignment["id"]}, 201)
    sid = session["id"]
    for line in LINES:
        await trainee.ok("POST", f"/api/sessions/{sid}/turns", {"text": line})
    assert (await trainee.ok("GET", "/api/assignments"))[0]["status"] == "started"
    ended = await trainee.ok("POST", f"/api/sessions/{sid}/end")
    status = (await trainee.ok("GET", "/api/assignments"))[0]
    assert status["status"] == "done" and status["score"] == ended["score"]

    dash = await fac.ok("GET", f"/api/cohorts/{cid}/dashboard")
    row = dash["trainees"][0]
    assert row["assignments_done"] == 1 and row["assignments_total"] == 1
    assert row["latest_score"] == ended["score"] == row["best_score"]
    assert row["bands"] and dash["distributions"]["overall"] == [ended["score"]]
    listed = await fac.ok("GET", f"/api/cohorts/{cid}/sessions")
    assert [s["id"] for s in listed] == [sid]

    # The advice turn (index 5): the facilitator says it was advice only, or relabels it.
    review = await fac.ok("GET", f"/api/sessions/{sid}")
    assert review["access"] == "reviewer"
    advice = next(t for t in review["turns"] if t["text"] == LINES[2])
    coder = advice["coder"]
    original = await fac.ok("GET", f"/api/sessions/{sid}/report")
    body = {"codes": [{"code": "open_question"}], "primary": "open_question"}
    report = await fac.ok("PUT", f"/api/sessions/{sid}/turns/{advice['index']}/correction", body)
    assert "overall" in report
    after = await fac.ok("GET", f"/api/sessions/{sid}")
    turn = next(t for t in after["turns"] if t["index"] == advice["index"])
    assert turn["coder"] == coder  # the coder's codes are kept
    assert turn["correction"]["primary"] == "open_question" == turn["primary"]
    before = await trainee.ok("GET", f"/api/sessions/{sid}/report")
    assert report == {k: v for k, v in before.items() if k != "comments"}
    assert coder["primary"] == "advice"
    assert report["micro"]["counts"].get("advice", 0) == 0  # scored with the correction
    assert report["micro"]["open_questions"] == original["micro"]["open_questions"] + 1
    refused = await trainee.send_json("PUT", f"/api/sessions/{sid}/turns/1/correction", body)
    assert refused.status_code == 403

    comment = await fac.ok(
        "POST", f"/api/sessions/{sid}/turns/{advice['index']}/comments", {"text": "Ask first."}, 201
    )
    assert comment["author"]["email"] == "fac@example.org"
    seen = await trainee.ok("GET", f"/api/sessions/{sid}")
    commented = next(t for t in seen["turns"] if t["index"] == advice["index"])
    assert [c["text"] for c in commented["comments"]] == ["Ask first."]
    trainee_report = await trainee.ok("GET", f"/api/sessions/{sid}/report")
    assert [c["text"] for c in trainee_report["comments"]] == ["Ask first."]

    agreement = await fac.ok("GET", f"/api/cohorts/{cid}/agreement")
    assert agreement["turns"] == 1
    assert agreement["per_code"]["open_question"]["facilitator_only"] == 1

    exported = await fac.send_json("GET", f"/api/cohorts/{cid}/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert rows[0]["status"] == "done" and rows[0]["session_id"] == sid
    dump = await fac.ok("GET", f"/api/cohorts/{cid}/export.json")
    turns = dump["sessions"][0]["transcript"]
    corrected = next(t for t in turns if t["index"] == advice["index"])
    assert corrected["coder"] and corrected["correction"] and corrected["comments"]

    removed = await fac.ok("DELETE", f"/api/sessions/{sid}/turns/{advice['index']}/correction")
    assert removed["overall"]["score"] == ended["score"]  # back to the coder's codes


async def test_free_practice_is_private_until_shared(app: FastAPI) -> None:
    _, fac, trainee, cohort = await setup(app)
    free = await trainee.ok(
        "POST", "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK}, 201
    )
    assert (await fac.send_json("GET", f"/api/sessions/{free['id']}")).status_code == 404
    shared = await trainee.ok("POST", f"/api/sessions/{free['id']}/share", {"cohort": cohort["id"]})
    assert shared["shared_with"] == [cohort["id"]]
    assert (await fac.ok("GET", f"/api/sessions/{free['id']}"))["access"] == "reviewer"
    assert [s["shared"] for s in await fac.ok("GET", f"/api/cohorts/{cohort['id']}/sessions")] == [
        True
    ]
    gone = await trainee.send_json("DELETE", f"/api/sessions/{free['id']}/share")
    assert gone.status_code == 204
    assert (await fac.send_json("GET", f"/api/sessions/{free['id']}")).status_code == 404


async def test_exam_mode_hides_the_codes_until_the_end(app: FastAPI) -> None:
    _, fac, trainee, cohort = await setup(app)
    task = {"scenario": SCENARIO, "framework": FRAMEWORK, "exam_mode": True}
    exam = await fac.ok("POST", f"/api/cohorts/{cohort['id']}/assignments", task, 201)
    session = await trainee.ok("POST", "/api/sessions", {"assignment": exam["id"]}, 201)
    assert session["exam_mode"] is True
    turn = await trainee.ok("POST", f"/api/sessions/{session['id']}/turns", {"text": LINES[2]})
    assert turn["codes"] == [] and turn["primary"] is None and turn["nudge"] is None
    early = await trainee.send_json("GET", f"/api/sessions/{session['id']}/report")
    assert early.status_code == 409
    await trainee.ok("POST", f"/api/sessions/{session['id']}/end")
    final = await trainee.ok("GET", f"/api/sessions/{session['id']}")
    assert any(t["codes"] for t in final["turns"] if t["speaker"] == "mentor")


async def test_the_support_card_answers_the_trainees_own_distress_and_is_not_stored(
    app: FastAPI,
) -> None:
    _, _, trainee, _ = await setup(app)
    free = await trainee.ok(
        "POST", "/api/sessions", {"scenario": SCENARIO, "framework": FRAMEWORK}, 201
    )
    path = f"/api/sessions/{free['id']}/turns"
    about_mentee = await trainee.ok(
        "POST", path, {"text": "Have you had thoughts of ending your life?"}
    )
    assert about_mentee.get("support") is None
    own = await trainee.send_json(
        "POST", path, {"text": "Honestly I want to kill myself."}, headers={"Idempotency-Key": "k1"}
    )
    assert own.status_code == 200 and own.json()["support"]["services"]
    replay = await trainee.send_json(
        "POST", path, {"text": "Honestly I want to kill myself."}, headers={"Idempotency-Key": "k1"}
    )
    assert replay.json()["support"]["services"]
    stored = await trainee.send_json("GET", f"/api/sessions/{free['id']}")
    assert "support" not in stored.text and "Samaritans" not in stored.text


async def test_a_published_scenario_reaches_its_cohort_only(app: FastAPI) -> None:
    _, fac, trainee, cohort = await setup(app)
    outsider = await account(app, "out@example.org")
    broken = await fac.send_json("POST", "/api/authoring/scenarios", {"yaml": "id: x\ntitle: 1\n"})
    assert broken.status_code == 422 and "scenario:" in broken.json()["detail"]
    wrong_key = scenario_yaml("mine").replace("presenting_issue:", "presenting_isue:", 1)
    refused = await fac.send_json("POST", "/api/authoring/scenarios", {"yaml": wrong_key})
    assert refused.status_code == 422 and "presenting_issue" in refused.json()["detail"]
    draft = await fac.ok("POST", "/api/authoring/scenarios", {"yaml": scenario_yaml("mine")}, 201)
    assert draft["gate"]["ok"] and len(draft["gate"]["results"]) == 3
    published = await fac.ok(
        "POST", f"/api/authoring/scenarios/{draft['id']}/publish", {"cohort": cohort["id"]}
    )
    pid = published["scenario"]
    assert pid in {s["id"] for s in await trainee.ok("GET", "/api/scenarios")}
    assert pid not in {s["id"] for s in await outsider.ok("GET", "/api/scenarios")}
    started = await trainee.ok(
        "POST", "/api/sessions", {"scenario": pid, "framework": FRAMEWORK}, 201
    )
    assert started["scenario"]["id"] == pid
    refused_start = await outsider.send_json(
        "POST", "/api/sessions", {"scenario": pid, "framework": FRAMEWORK}
    )
    assert refused_start.status_code == 422
    task = {"scenario": pid, "framework": FRAMEWORK}
    await fac.ok("POST", f"/api/cohorts/{cohort['id']}/assignments", task, 201)
    other = await fac.ok("POST", "/api/cohorts", {"name": "Other"}, 201)
    elsewhere = await fac.send_json("POST", f"/api/cohorts/{other['id']}/assignments", task)
    assert elsewhere.status_code == 422
    assert (
        await trainee.send_json("POST", "/api/authoring/scenarios", {"yaml": "x: 1"})
    ).status_code == 403
