"""Accounts, cohorts and the facilitator's desk in a real browser (issue 8).

A facilitator (the first account on an empty database, so the admin) creates a cohort and an
assignment; a trainee in a second browser context joins by the link, completes the assignment
(a few turns, End session); the facilitator sees the result on the dashboard, opens the
transcript, corrects a code and comments on a turn; the trainee sees the comment.

Driven through the accessible names an outside test also uses: "Email", "Password", "Name",
"Log in", "Sign up", "Log out", "Cohort name", "Create cohort", "Join cohort", "Start",
"Create assignment", "Correct codes", "Save correction", "Comment", "Add comment",
"Download results (CSV)", "Download transcripts (JSON)".

This module runs its own server on a fresh database: "the first account is the admin" must hold.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
PASSWORD = "correct horse battery"
HOSTILE = "<img src=x onerror=alert(1)> Good reflection here — keep going."


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`empowerer serve` on a fresh SQLite file (no accounts yet); yields its base URL."""
    import socket

    folder = tmp_path_factory.mktemp("desk-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    script = Path(sys.executable).with_name("empowerer")
    command = [str(script), "serve", "--host", "127.0.0.1", "--port", str(port)]
    env = {**os.environ, "EMPOWERER_DB_URL": f"sqlite:///{folder / 'desk.db'}"}
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--log-level", "warning"], cwd=REPO, env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        (REPO / "artifacts").mkdir(exist_ok=True)
        (REPO / "artifacts" / "desk-server.log").write_bytes(log.read_bytes())
        process.terminate()
        process.wait(timeout=10)


class Errors:
    """Script errors, dialogs and CSP violations a page produced (a test refuses them all)."""

    def __init__(self, page: Any) -> None:
        self.items: list[str] = []
        page.on("pageerror", lambda error: self.items.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Any) -> None:
        self.items.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, msg: Any) -> None:
        if msg.type == "error" and "Content Security Policy" in msg.text:
            self.items.append(f"csp: {msg.text}")


def new_page(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, Any, Errors]:
    context = browser.new_context(viewport=viewport, base_url=url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    return context, page, Errors(page)


def ready(page: Any, name: str) -> None:
    page.wait_for_selector(f"body[data-ready='{name}']")


def go(page: Any, hash_path: str, name: str) -> None:
    page.goto(f"/{hash_path}")
    ready(page, name)


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot; pages scrolled to a part are shot as the viewport (the header is sticky)."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def sign_up(page: Any, name: str, email: str, *, lands_on: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign up", exact=True).click()
    ready(page, lands_on)


def send(page: Any, text: str) -> None:
    replies = page.locator(".msg-mentee")
    before = replies.count()
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(replies).to_have_count(before + 1)


def header(page: Any) -> Any:
    return page.locator("header.site-header")


def test_facilitator_and_trainee_round_trip(
    browser: Any, desk_server: str, screenshots: Path
) -> None:
    scenario = httpx.get(f"{desk_server}/api/scenarios", timeout=10).json()[0]
    fac_ctx, fac, fac_errors = new_page(browser, desk_server, DESKTOP)
    tr_ctx, trainee, tr_errors = new_page(browser, desk_server, PHONE)
    try:
        # The facilitator: the first account on the database is the admin.
        go(fac, "#/", "start")
        expect(header(fac).get_by_role("link", name="Log in", exact=True)).to_be_visible()
        fac.goto("/#/signup")
        ready(fac, "signup")
        shoot(fac, screenshots, "desk-signup-desktop")
        sign_up(fac, "Fran Facilitator", "fran@example.org", lands_on="desk")
        expect(header(fac)).to_contain_text("Fran Facilitator")
        expect(header(fac)).to_contain_text("Admin")
        expect(header(fac).get_by_role("button", name="Log out", exact=True)).to_be_visible()

        # A cohort, with its join code and join link.
        fac.get_by_label("Cohort name", exact=True).fill("Spring mentors 2025")
        fac.get_by_role("button", name="Create cohort", exact=True).click()
        created = fac.locator(".created")
        expect(created).to_contain_text("Cohort created")
        join_url = created.locator("a.join-link").inner_text()
        assert re.search(r"/#/join/[^/]+$", join_url), join_url
        shoot(fac, screenshots, "desk-home-desktop")

        # An assignment in exam mode, due in a week, target band good.
        created.get_by_role("link", name="Spring mentors 2025").click()
        ready(fac, "cohort")
        fac.get_by_label("Scenario", exact=True).select_option(scenario["id"])
        fac.get_by_label("Framework", exact=True).select_option("grow")
        fac.get_by_label("Due date", exact=True).fill("2030-06-30")
        fac.get_by_label("Target band", exact=True).select_option("good")
        fac.get_by_label("Exam mode", exact=True).check()
        fac.get_by_role("button", name="Create assignment", exact=True).click()
        expect(fac.locator(".assignments-table")).to_contain_text(scenario["title"])
        expect(fac.get_by_role("link", name="Download results (CSV)")).to_be_visible()
        expect(fac.get_by_role("link", name="Download transcripts (JSON)")).to_be_visible()

        # The trainee (a phone, another browser context) opens the join link as a guest.
        trainee.goto(join_url.replace(desk_server, ""))
        ready(trainee, "join")
        trainee.get_by_role("main").get_by_role("link", name="Sign up", exact=True).click()
        ready(trainee, "signup")
        sign_up(trainee, "Tom Trainee", "tom@example.org", lands_on="join")
        expect(header(trainee)).to_contain_text("Tom Trainee")
        expect(header(trainee)).to_contain_text("Trainee")
        trainee.get_by_role("button", name="Join cohort", exact=True).click()
        expect(trainee.get_by_role("status").filter(has_text="You have joined")).to_contain_text(
            "Spring mentors 2025"
        )
        trainee.get_by_role("link", name="See your assignments").click()
        ready(trainee, "assignments")
        row = trainee.locator("tr", has_text=scenario["title"])
        expect(row).to_contain_text("To do")
        expect(row).to_contain_text("Exam")
        shoot(trainee, screenshots, "desk-assignments-phone")
        row.get_by_role("button", name="Start", exact=True).click()
        ready(trainee, "session")
        session_id = trainee.url.rsplit("/", 1)[-1]
        exam = trainee.get_by_label("Exam mode", exact=True)
        expect(exam).to_be_checked()
        expect(exam).to_be_disabled()
        send(trainee, "What would you like to get out of our time today?")
        send(
            trainee, "It sounds like this has been weighing on you. What matters most to you here?"
        )
        send(trainee, "You should just talk to your manager about it.")
        trainee.get_by_role("button", name="End session", exact=True).click()
        ready(trainee, "report")
        score = trainee.locator(".overall-score").inner_text()
        go(trainee, "#/assignments", "assignments")
        expect(trainee.locator("tr", has_text=scenario["title"])).to_contain_text("Done")

        # The facilitator sees the result on the dashboard.
        fac.reload()
        ready(fac, "cohort")
        trainee_row = fac.locator("table.trainees tr", has_text="Tom Trainee")
        expect(trainee_row).to_contain_text("1 of 1")
        expect(trainee_row).to_contain_text(re.sub(r"/100$", "", score).strip())
        expect(fac.locator("figure.chart").first).to_be_visible()
        shoot(fac, screenshots, "desk-cohort-desktop")
        fac.set_viewport_size(PHONE)
        fac.reload()
        ready(fac, "cohort")
        shoot(fac, screenshots, "desk-cohort-phone")
        fac.set_viewport_size(DESKTOP)
        fac.reload()
        ready(fac, "cohort")

        # ... opens the transcript, corrects the first mentor turn's codes and comments on it.
        fac.locator("table.cohort-sessions tr", has_text="Tom Trainee").get_by_role(
            "link", name="Review"
        ).click()
        ready(fac, "review")
        assert session_id in fac.url
        first = fac.locator(".review-turn.tr-mentor").first
        expect(first.locator(".code-row").first).to_contain_text("Coder")
        first.get_by_role("button", name="Correct codes", exact=True).click()
        form = first.locator("form.correction-form")
        for box in form.get_by_role("checkbox").all():
            box.uncheck()
        form.get_by_label("Reflection", exact=True).check()
        form.get_by_label("Main code", exact=True).select_option("reflection")
        form.get_by_role("button", name="Save correction", exact=True).click()
        expect(first.locator(".turn-status")).to_contain_text("Correction saved")
        expect(first.locator(".code-row.corrected")).to_contain_text("Reflection")
        expect(fac.locator(".review-metrics")).to_contain_text("Recomputed with the corrections")
        first.get_by_label("Comment", exact=True).fill(HOSTILE)
        first.get_by_role("button", name="Add comment", exact=True).click()
        expect(first.locator(".turn-comment")).to_contain_text(HOSTILE)
        shoot(fac, screenshots, "desk-review-desktop", full_page=False)
        fac.reload()
        ready(fac, "review")
        first = fac.locator(".review-turn.tr-mentor").first
        expect(first.locator(".turn-comment")).to_contain_text(HOSTILE)
        expect(first.locator(".code-row.corrected")).to_contain_text("Reflection")

        # The trainee sees the comment in the report and in the conversation.
        go(trainee, f"#/report/{session_id}", "report")
        comment = trainee.locator(".transcript .turn-comment").first
        expect(comment).to_contain_text(HOSTILE)
        expect(comment).to_contain_text("Fran Facilitator")
        comment.evaluate("node => node.scrollIntoView({block: 'center'})")
        shoot(trainee, screenshots, "desk-report-comment-phone", full_page=False)
        go(trainee, f"#/session/{session_id}", "session")
        expect(trainee.locator(".log .turn-comment").first).to_contain_text(HOSTILE)
        assert trainee.locator("img").count() == 0  # the comment stayed text

        assert fac_errors.items == [], fac_errors.items
        assert tr_errors.items == [], tr_errors.items
    finally:
        fac_ctx.close()
        tr_ctx.close()


def test_log_in_log_out_and_guests(browser: Any, desk_server: str, screenshots: Path) -> None:
    context, page, errors = new_page(browser, desk_server, PHONE)
    try:
        go(page, "#/signup", "signup")
        sign_up(page, "Gina Guestwho", "gina@example.org", lands_on="assignments")
        expect(page.get_by_role("main")).to_contain_text("No assignments yet")
        shoot(page, screenshots, "desk-header-phone")
        page.get_by_role("button", name="Log out", exact=True).click()
        ready(page, "start")
        expect(header(page).get_by_role("link", name="Sign up", exact=True)).to_be_visible()
        # the desk is for facilitators; a guest is told to log in
        go(page, "#/desk", "desk")
        expect(page.get_by_role("main")).to_contain_text("This page is for facilitators")
        go(page, "#/login", "login")
        page.get_by_label("Email", exact=True).fill("gina@example.org")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page.get_by_role("alert").filter(has_text="Wrong email or password")).to_be_visible()
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in", exact=True).click()
        ready(page, "assignments")
        expect(header(page)).to_contain_text("Gina Guestwho")
        assert errors.items == [], errors.items
    finally:
        context.close()


def promote(url: str, email: str) -> None:
    """Make `email` a facilitator through the API, as the admin (signing the admin up if needed)."""
    with httpx.Client(base_url=url, timeout=10) as client:
        client.get("/api/health")
        token = next(v for k, v in client.cookies.items() if "csrf" in k)
        headers = {"X-CSRF-Token": token}
        admin = {"email": "fran@example.org", "password": PASSWORD}
        if client.post("/api/auth/login", json=admin, headers=headers).status_code != 200:
            client.post(
                "/api/auth/signup", json={**admin, "name": "Fran Facilitator"}, headers=headers
            )
        token = next(v for k, v in client.cookies.items() if "csrf" in k)
        headers = {"X-CSRF-Token": token}
        users = client.get("/api/users").json()
        target = next(u for u in users if u["email"] == email)
        if target["role"] != "trainee":
            return
        response = client.patch(
            f"/api/users/{target['id']}", json={"role": "facilitator"}, headers=headers
        )
        assert response.status_code == 200, response.text


def test_scenario_authoring_validates_and_publishes(
    browser: Any, desk_server: str, screenshots: Path
) -> None:
    context, page, errors = new_page(browser, desk_server, DESKTOP)
    try:
        promote(desk_server, "fran@example.org")  # makes sure an admin exists first
        go(page, "#/signup", "signup")
        sign_up(page, "Ada Author", "ada@example.org", lands_on="assignments")
        promote(desk_server, "ada@example.org")
        page.reload()
        ready(page, "assignments")
        expect(header(page)).to_contain_text("Facilitator")
        go(page, "#/desk", "desk")
        page.get_by_label("Cohort name", exact=True).fill("Authors' cohort")
        page.get_by_role("button", name="Create cohort", exact=True).click()
        expect(page.locator(".created")).to_contain_text("Cohort created")
        go(page, "#/desk/scenarios", "scenarios")
        publish = page.get_by_role("button", name="Publish to cohort", exact=True)
        expect(publish).to_be_disabled()
        # the form and the YAML are the same text
        page.get_by_label("Scenario id", exact=True).fill("ada-test-mentee")
        page.get_by_label("Mentee's name", exact=True).fill('Sam "Sammy" O\'Neill')
        yaml = page.get_by_label("Scenario YAML", exact=True).input_value()
        assert yaml.startswith('id: "ada-test-mentee"\n')
        assert 'name: "Sam \\"Sammy\\" O\'Neill"' in yaml
        page.get_by_role("button", name="Validate", exact=True).click()
        expect(page.locator(".gate")).to_contain_text("quality gate passed")
        expect(page.locator(".gate-item")).to_have_count(3)
        page.get_by_label("Cohort", exact=True).select_option(label="Authors' cohort")
        publish.click()
        expect(page.locator("p.created")).to_contain_text("Published to Authors' cohort")
        shoot(page, screenshots, "desk-authoring-desktop")
        # a schema error is shown, and publishing is off again
        page.get_by_label("Scenario YAML", exact=True).fill("id: Not An Id\ntitle: x\n")
        page.get_by_role("button", name="Validate", exact=True).click()
        expect(page.locator(".schema-errors")).to_be_visible()
        expect(publish).to_be_disabled()
        assert errors.items == [], errors.items
    finally:
        context.close()
