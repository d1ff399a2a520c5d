"""The practice room in a real browser: start, chat, stages, exam mode, end, report, resume, history.

Driven through the accessible names an outside test also uses: "Message", "Send", "End session",
"Exam mode", "Start".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(1)> — still text?"


def first_scenario(base_url: str) -> dict[str, Any]:
    cards: list[dict[str, Any]] = httpx.get(f"{base_url}/api/scenarios", timeout=10).json()
    assert cards, "the catalog has no scenarios"
    return cards[0]


def ready(page: Any, name: str) -> None:
    """Wait until the router has rendered page `name`."""
    page.wait_for_selector(f"body[data-ready='{name}']")


def shoot(page: Any, folder: Path, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot (the start page and the chat have sticky parts: shoot the viewport)."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def start_session(page: Any, card: dict[str, Any], framework: str) -> str:
    """From the start page: search for the mentee, choose them and the framework, Start."""
    name = card["persona"]["name"]
    page.get_by_label("Search scenarios").fill(name)
    page.get_by_role("radio", name=f"{name}: {card['title']}", exact=True).check()
    page.get_by_role("radio", name=framework, exact=True).check()
    page.get_by_role("button", name="Start", exact=True).click()
    ready(page, "session")
    match = re.search(r"#/session/([^/]+)$", page.url)
    assert match, page.url
    return match.group(1)


def send(page: Any, text: str, *, with_enter: bool = False) -> None:
    """Send one turn and wait for the mentee's reply to appear."""
    replies = page.locator(".msg-mentee")
    before = replies.count()
    box = page.get_by_label("Message", exact=True)
    box.fill(text)
    if with_enter:
        box.press("Enter")
    else:
        page.get_by_role("button", name="Send", exact=True).click()
    expect(replies).to_have_count(before + 1)
    expect(page.locator(".typing")).to_be_hidden()


def current_stage(page: Any) -> str:
    return str(page.locator(".stage-btn[aria-current='step']").get_attribute("data-stage"))


def assert_clean(watch: Any) -> None:
    assert watch.page_errors == [], watch.page_errors
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"
    assert watch.csp_violations == [], watch.csp_violations


def test_a_whole_practice_session_in_the_browser(
    desktop: tuple[Any, Any], live_server: str, screenshots: Path
) -> None:
    page, watch = desktop
    card = first_scenario(live_server)
    name = card["persona"]["name"]
    page.goto("/")
    ready(page, "start")
    expect(page.get_by_role("heading", name="Practise a mentoring conversation")).to_be_visible()
    page.get_by_role("radio", name="GROW", exact=True).check()
    expect(page.get_by_role("img", name=re.compile(r"^GROW: Goal"))).to_be_visible()
    shoot(page, screenshots, "start-desktop", full_page=False)

    session_id = start_session(page, card, "GROW")
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    expect(page.locator(".msg-mentee")).to_have_count(1)  # the opening line
    expect(page.get_by_role("navigation", name="Framework stages")).to_be_visible()
    assert current_stage(page) == "goal"

    # A move the guards refuse is explained in the alert region.
    page.locator(".stage-btn[data-stage='will']").click()
    expect(page.get_by_role("alert")).to_contain_text("Can't move to Will")
    assert current_stage(page) == "goal"

    send(page, "What would you like to get out of our time together today?", with_enter=True)
    send(page, "You sound disappointed. What happened at the interview?")
    mentor = page.locator(".msg-mentor")
    expect(mentor).to_have_count(2)
    expect(
        mentor.first.get_by_role("list", name="Codes").get_by_role("listitem").first
    ).to_be_visible()
    expect(mentor.first.locator(".chip")).not_to_have_count(0)

    # An allowed move: forward after a turn in Goal, or back to Goal if the tracker moved on.
    target = "reality" if current_stage(page) == "goal" else "goal"
    page.locator(f".stage-btn[data-stage='{target}']").click()
    expect(page.locator(f".stage-btn[data-stage='{target}']")).to_have_attribute(
        "aria-current", "step"
    )

    send(page, "You should just apply again and not worry about it.")
    expect(
        page.locator(".msg-mentor").last.locator(".chip-advice, .chip-roadblock")
    ).not_to_have_count(0)
    shoot(page, screenshots, "chat-desktop", full_page=False)

    # Exam mode hides the feedback and survives a reload; the conversation resumes from the server.
    exam = page.get_by_label("Exam mode")
    exam.check()
    expect(page.locator(".msg-mentor .feedback").first).to_be_hidden()
    page.reload()
    ready(page, "session")
    expect(page.locator(".msg-mentor")).to_have_count(3)
    expect(page.get_by_label("Exam mode")).to_be_checked()
    expect(page.locator(".msg-mentor .feedback").first).to_be_hidden()
    page.get_by_label("Exam mode").uncheck()
    expect(page.locator(".msg-mentor .feedback").first).to_be_visible()
    shoot(page, screenshots, "chat-desktop-resumed", full_page=False)

    page.get_by_role("button", name="End session", exact=True).click()
    ready(page, "report")
    assert page.url.endswith(f"#/report/{session_id}")
    expect(page.get_by_role("heading", name=f"Report: {name}")).to_be_visible()
    expect(page.locator(".overall-score")).to_have_text(re.compile(r"^\d{1,3}/100$"))
    expect(page.locator(".metric").first).to_be_visible()
    for caption in ("Stage timeline", "Codes over the conversation", "Talk share"):
        expect(page.locator("figcaption", has_text=caption)).to_be_visible()
    transcript = page.locator(".transcript")
    expect(transcript).to_contain_text("You should just apply again")
    expect(transcript.locator(".chip").first).to_be_visible()
    shoot(page, screenshots, "report-desktop")

    links = page.locator(".feedback-list .turn-link")
    if links.count():
        links.first.click()
        expect(page.locator(".tr-turn.highlight")).to_have_count(1)
        expect(page.locator(".tr-turn.highlight")).to_be_focused()

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    expect(page.locator(".chart-svg").first).to_be_visible()
    shoot(page, screenshots, "report-print")
    page.pdf(path=str(screenshots / "report.pdf"), format="A4", print_background=True)
    page.emulate_media(media="screen")

    # Coming back later: the chat is read-only and points at the report; history lists the session.
    page.goto(f"/#/session/{session_id}")
    ready(page, "session")
    expect(page.get_by_label("Message", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Read the report")).to_be_visible()
    page.goto("/#/history")
    ready(page, "history")
    row = page.locator("table.sessions tbody tr").first
    expect(row).to_contain_text(name)
    expect(row.locator("td[data-label='Score']")).to_have_text(re.compile(r"^\d{1,3}$"))
    expect(page.locator("figcaption", has_text="Progress over time")).to_be_visible()
    shoot(page, screenshots, "history-desktop")
    assert_clean(watch)


def test_markup_in_a_message_shows_as_text_and_runs_nothing(
    desktop: tuple[Any, Any], live_server: str
) -> None:
    page, watch = desktop
    card = first_scenario(live_server)
    page.goto("/")
    ready(page, "start")
    start_session(page, card, "CLEAR")
    send(page, HOSTILE)
    bubble = page.locator(".msg-mentor .msg-text").last
    expect(bubble).to_have_text(HOSTILE)
    assert page.locator(".log img, .log script").count() == 0
    page.reload()
    ready(page, "session")
    expect(page.locator(".msg-mentor .msg-text").last).to_have_text(HOSTILE)
    page.get_by_role("link", name="Report", exact=True).click()
    ready(page, "report")
    expect(page.locator(".transcript")).to_contain_text(HOSTILE)
    assert page.locator(".report img, .report script").count() == 0
    page.wait_for_timeout(300)  # give a stray onerror handler its chance to fire
    assert_clean(watch)


def test_keyboard_only_start_and_chat(desktop: tuple[Any, Any], live_server: str) -> None:
    page, watch = desktop
    page.goto("/")
    ready(page, "start")
    start = page.get_by_role("button", name="Start", exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if start.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Start button")
    page.keyboard.press("Enter")
    ready(page, "session")
    box = page.get_by_label("Message", exact=True)
    expect(box).to_be_focused()
    page.keyboard.type("First line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    assert box.input_value() == "First line\nsecond line"
    expect(page.locator(".msg-mentor")).to_have_count(0)
    page.keyboard.press("Enter")
    expect(page.locator(".msg-mentee")).to_have_count(2)
    expect(page.locator(".msg-mentor .msg-text")).to_have_text("First line\nsecond line")
    expect(box).to_have_value("")
    assert_clean(watch)


def test_every_page_fits_a_phone(
    phone: tuple[Any, Any], live_server: str, screenshots: Path
) -> None:
    page, watch = phone
    card = first_scenario(live_server)

    def fits(label: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{label} is {width}px wide at a 360px viewport"

    page.goto("/")
    ready(page, "start")
    fits("start")
    shoot(page, screenshots, "start-phone", full_page=False)
    session_id = start_session(page, card, "OSKAR")
    send(page, "What would you like to be different after today?")
    send(page, "It sounds like it has knocked your confidence.")
    fits("chat")
    shoot(page, screenshots, "chat-phone", full_page=False)
    page.get_by_role("button", name="End session", exact=True).click()
    ready(page, "report")
    fits("report")
    shoot(page, screenshots, "report-phone")
    page.goto("/#/history")
    ready(page, "history")
    fits("history")
    expect(
        page.get_by_role("link", name=re.compile(re.escape(card["persona"]["name"])))
    ).to_be_visible()
    shoot(page, screenshots, "history-phone")
    assert session_id
    assert_clean(watch)
