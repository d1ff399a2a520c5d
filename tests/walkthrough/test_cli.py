"""`empowerer walkthrough` in the terminal: to the plan, pause and resume, the support card."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from server.cli import main
from server.cli.walkthrough import load
from server.frameworks import load_all
from server.walkthrough import answer, resume, start

from .test_api import ANSWERS, RISK_PHRASE


def scripted_lines(fid: str) -> list[str]:
    """The answers a user would type, chosen by the field each question asks about."""
    engine = load_all()[fid]
    state, _ = start(engine)
    lines: list[str] = []
    while state.status == "active":
        assert state.pending is not None and len(lines) < 80
        text = ANSWERS[state.pending.field]
        lines.append(text)
        state, _ = answer(engine, state, text, date.today())
    return lines


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lines: list[str],
    *args: str,
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    status = main(["walkthrough", *args])
    return status, capsys.readouterr().out


def test_a_walkthrough_in_the_terminal_ends_with_plan_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(
        monkeypatch, capsys, scripted_lines("grow"), "--framework", "grow", "--out", str(tmp_path)
    )
    assert status == 0
    plan = (tmp_path / "plan.md").read_text()
    assert "I want to leave work on time at least three days a week" in plan
    assert "7 out of 10" in plan and "My partner and my educational supervisor" in plan
    assert "## Goal" in out  # the plan is printed too
    ics = (tmp_path / "plan.ics").read_text()
    assert "BEGIN:VEVENT" in ics and "DTSTART;VALUE=DATE:" in ics


def test_pause_saves_a_file_that_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = scripted_lines("oskar")
    status, out = run(
        monkeypatch,
        capsys,
        [*lines[:3], "/skip", "/back", "/pause"],
        "-f",
        "oskar",
        "--out",
        str(tmp_path),
    )
    assert status == 0 and "Saved to" in out
    [saved] = tmp_path.glob("walkthrough-oskar-*.json")
    assert "Outcome" in out and "Let's go back" in out
    engine = load_all()["oskar"]
    state, _ = load(saved)
    assert state.status == "paused" and len(state.answers) == 3
    state, _ = resume(engine, state)
    rest: list[str] = []
    while state.status == "active":
        assert state.pending is not None and len(rest) < 80
        rest.append(ANSWERS[state.pending.field])
        state, _ = answer(engine, state, rest[-1], date.today())
    status, out = run(monkeypatch, capsys, rest, "--resume", str(saved), "--out", str(tmp_path))
    assert status == 0
    assert "Welcome back" in out
    assert (tmp_path / "plan.md").exists()
    assert not saved.exists()  # finished: the plan files are what is kept


def test_a_risk_phrase_prints_the_support_card_and_is_not_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [ANSWERS["goal"], RISK_PHRASE, "/pause"]
    status, out = run(monkeypatch, capsys, lines, "--framework", "clear", "--out", str(tmp_path))
    assert status == 0
    assert "Samaritans: Call 116 123" in out and "Call 999" in out
    assert "NHS Practitioner Health" in out
    [saved] = tmp_path.glob("walkthrough-clear-*.json")
    text = saved.read_text()
    assert "better off" not in text and "leave work on time" in text
    assert not (tmp_path / "plan.md").exists()
