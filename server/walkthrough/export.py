"""The user's plan as a page of Markdown and as an .ics reminder for the first step."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import NAMESPACE_URL, uuid5

from server.walkthrough.model import Plan

PRODID = "-//Empowerer//Self-mentoring plan//EN"


def to_markdown(plan: Plan, framework_name: str, created: date) -> str:
    """The plan as Markdown, in the user's own words."""
    lines = [f"# My plan ({framework_name}, {created.isoformat()})", ""]
    lines += ["## Goal", "", plan.goal or "(not written yet)", ""]
    lines += ["## Options I considered", ""]
    lines += [f"- {option}" for option in plan.options] or ["(none written yet)"]
    lines += ["", "## My steps", ""]
    for i, step in enumerate(plan.steps, start=1):
        due = f" (by {step.due.strftime('%A %-d %B %Y')})" if step.due else ""
        lines.append(f"{i}. {step.text}{due}")
    if not plan.steps:
        lines.append("(none written yet)")
    confidence = f"{plan.confidence} out of 10" if plan.confidence is not None else "(not rated)"
    lines += ["", "## Confidence", "", confidence, "", "## Support I need", ""]
    lines += [plan.support or "(not written yet)", ""]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545 line folding at 75 octets."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def to_ics(plan: Plan, key: str, now: datetime | None = None) -> str | None:
    """An all-day calendar reminder for the first dated step; None if no step has a date."""
    step = next((s for s in plan.steps if s.due is not None), None)
    if step is None or step.due is None:
        return None
    now = now or datetime.now(UTC)
    uid = uuid5(NAMESPACE_URL, f"empowerer:{key}:{step.text}:{step.due}")
    body = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "BEGIN:VEVENT",
        f"UID:{uid}@empowerer", f"DTSTAMP:{now.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{step.due.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(step.due + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_escape('First step: ' + step.text)}",
        f"DESCRIPTION:{_escape('Goal: ' + (plan.goal or '') + '. Support: ' + (plan.support or ''))}",
        "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT9H", f"DESCRIPTION:{_escape(step.text)}",
        "END:VALARM", "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return "\r\n".join(_fold(line) for line in body) + "\r\n"
