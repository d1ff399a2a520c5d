"""Self-mentoring and exemplars in a real browser: a walkthrough from start to plan, the support
card on a risk phrase, an exemplar generated and shown beside a trainee's session.

Driven through accessible names: "Your answer", "Answer", "Back", "Skip", "Pause", "Carry on",
"Show exemplar", "Compare with exemplar".
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from server.frameworks import load_all
from server.walkthrough import answer, start

pytestmark = pytest.mark.browser

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


def ready(page: Any, name: str) -> None:
    page.wait_for_selector(f"body[data-ready='{name}']")


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def fits(page: Any, label: str, width: int = 360) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{label} is {scroll}px wide at a {width}px viewport"


def assert_clean(watch: Any) -> None:
    assert watch.page_errors == [], watch.page_errors
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"
    assert watch.csp_violations == [], watch.csp_violations


def begin_walkthrough(page: Any, framework: str) -> str:
    page.goto("/#/walk")
    ready(page, "walk")
    expect(page.get_by_role("heading", name="Self-mentoring", exact=True)).to_be_visible()
    page.get_by_role("radio", name=re.compile(rf"^{framework}\b")).check()
    page.get_by_role("button", name="Start walkthrough").click()
    page.wait_for_url(re.compile(r"#/walk/[A-Za-z0-9_-]+$"))
    expect(page.get_by_label("Your answer")).to_be_visible()
    return str(page.url.rsplit("/", 1)[1])


def say(page: Any, text: str) -> None:
    mine = page.locator(".walk-log .msg-mentor")
    before = mine.count()
    page.get_by_label("Your answer").fill(text)
    page.get_by_role("button", name="Answer", exact=True).click()
    expect(mine).to_have_count(before + 1)


def test_a_walkthrough_from_start_to_plan(
    desktop: tuple[Any, Any], live_server: str, screenshots: Path
) -> None:
    page, watch = desktop
    engine = load_all()["grow"]
    wid = begin_walkthrough(page, "GROW")
    expect(page.get_by_role("navigation", name="Walkthrough stages")).to_be_visible()
    expect(page.locator(".walk-strip li[aria-current='step']")).to_have_attribute(
        "data-stage", "goal"
    )
    for name in ("Back", "Skip", "Pause"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    shoot(page, screenshots, "walk-question-desktop", full_page=False)

    state, _ = start(engine)
    first = True
    while state.status == "active":
        assert state.pending is not None
        text = ANSWERS[state.pending.field]
        state, _ = answer(engine, state, text, date.today())
        say(page, text)
        if first:  # pause and resume once: the same question comes back
            question = page.locator(".walk-question").inner_text()
            page.get_by_role("button", name="Pause", exact=True).click()
            page.get_by_role("button", name="Resume", exact=True).click()
            expect(page.locator(".walk-question")).to_have_text(question)
            first = False

    expect(page.get_by_role("heading", name="Your plan")).to_be_visible()
    plan = page.locator(".plan")
    expect(plan).to_contain_text("I want to leave work on time at least three days a week")
    expect(plan).to_contain_text("7 out of 10")
    expect(plan).to_contain_text("My partner and my educational supervisor")
    expect(plan).to_contain_text("Friday")
    shoot(page, screenshots, "walk-plan-desktop")

    with page.expect_download() as markdown:
        page.get_by_role("link", name="Download plan (Markdown)").click()
    assert markdown.value.suggested_filename == "plan.md"
    assert "## Goal" in Path(markdown.value.path()).read_text()
    with page.expect_download() as ics:
        page.get_by_role("link", name="Add first step to calendar (.ics)").click()
    assert ics.value.suggested_filename == "plan.ics"
    assert "BEGIN:VEVENT" in Path(ics.value.path()).read_text()

    page.goto("/#/walk")
    ready(page, "walk")
    expect(page.locator(".walk-item")).to_have_count(1)
    shoot(page, screenshots, "walk-list-desktop")
    page.goto(f"/#/walk/{wid}")
    page.get_by_role("button", name="Delete this walkthrough").click()
    page.get_by_role("button", name="Yes, delete it").click()
    ready(page, "walk")
    expect(page.get_by_text("None yet.")).to_be_visible()
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    gone = httpx.get(f"{live_server}/api/walkthroughs/{wid}", cookies=cookies, timeout=10)
    assert gone.status_code == 404
    assert_clean(watch)


def test_a_risk_phrase_shows_the_support_card(
    phone: tuple[Any, Any], live_server: str, screenshots: Path
) -> None:
    page, watch = phone
    begin_walkthrough(page, "OSKAR")
    fits(page, "walkthrough")
    shoot(page, screenshots, "walk-question-phone", full_page=False)
    page.get_by_label("Your answer").fill(RISK_PHRASE)
    page.get_by_role("button", name="Answer", exact=True).click()
    card = page.get_by_role("alert").filter(has_text="Support is available now")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading", name="Support is available now")).to_be_visible()
    for needed in ("999", "116 123", "NHS 111", "NHS Practitioner Health", "BMA"):
        expect(card).to_contain_text(needed)
    expect(page.get_by_label("Your answer")).to_have_count(0)
    expect(page.locator(".walk-log")).not_to_contain_text("better off without me")
    fits(page, "support card")
    shoot(page, screenshots, "walk-support-phone")

    page.reload()
    ready(page, "walk")
    expect(page.get_by_role("heading", name="Support is available now")).to_be_visible()
    page.get_by_role("button", name="Carry on").click()
    expect(page.get_by_label("Your answer")).to_be_visible()
    assert_clean(watch)


def start_session(page: Any, card: dict[str, Any], framework: str) -> str:
    name = card["persona"]["name"]
    page.goto("/")
    ready(page, "start")
    page.get_by_label("Search scenarios").fill(name)
    page.get_by_role("radio", name=f"{name}: {card['title']}", exact=True).check()
    page.get_by_role("radio", name=framework, exact=True).check()
    page.get_by_role("button", name="Start", exact=True).click()
    ready(page, "session")
    return str(page.url.rsplit("/", 1)[1])


def send(page: Any, text: str) -> None:
    replies = page.locator(".msg-mentee")
    before = replies.count()
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(replies).to_have_count(before + 1)


def test_an_exemplar_is_generated_and_shown_beside_a_trainees_session(
    desktop: tuple[Any, Any], live_server: str, screenshots: Path
) -> None:
    page, watch = desktop
    cards: list[dict[str, Any]] = httpx.get(f"{live_server}/api/scenarios", timeout=10).json()
    card = cards[0]

    page.goto("/#/exemplar")
    ready(page, "exemplar")
    page.get_by_label("Scenario").select_option(card["id"])
    page.get_by_label("Framework").select_option("grow")
    page.get_by_role("button", name="Show exemplar").click()
    expect(page.locator(".x-stage").first).to_be_visible(timeout=30_000)
    titles = page.locator(".x-stage h3").all_inner_texts()
    assert {"Goal", "Reality", "Options", "Will"} <= {t.split(" (")[0] for t in titles}, titles
    expect(page.locator(".score-card")).to_contain_text("Exemplar score")
    expect(page.locator(".x-mentor .chips").first).to_be_visible()
    expect(page.locator(".x-why").first).to_be_visible()
    shoot(page, screenshots, "exemplar-desktop")
    page.locator(".x-stage").first.scroll_into_view_if_needed()
    shoot(page, screenshots, "exemplar-desktop-top", full_page=False)

    sid = start_session(page, card, "GROW")
    send(page, "What would you like to get out of our time together today?")
    send(page, "It sounds like a lot has been piling up. What feels most pressing?")
    page.get_by_role("button", name="End session", exact=True).click()
    ready(page, "report")
    page.get_by_role("link", name="Compare with exemplar").click()
    ready(page, "compare")
    assert page.url.endswith(f"#/compare/{sid}")
    stages = page.locator(".x-compare-stage")
    expect(stages).to_have_count(4)
    goal = stages.first
    expect(goal.get_by_role("heading", name="Your session")).to_be_visible()
    expect(goal.get_by_role("heading", name="Exemplar")).to_be_visible()
    expect(goal.locator(".x-col").first).to_contain_text("What would you like to get out of")
    expect(goal.locator(".x-col").nth(1).locator(".x-mentor")).not_to_have_count(0)
    expect(page.locator(".score-card")).to_have_count(2)
    shoot(page, screenshots, "compare-desktop")
    shoot(page, screenshots, "compare-desktop-top", full_page=False)

    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    ready(page, "compare")
    fits(page, "compare")
    shoot(page, screenshots, "compare-phone")
    shoot(page, screenshots, "compare-phone-top", full_page=False)
    assert_clean(watch)
