"""Reading the date of a step from plain words: "by Friday", "tomorrow", "on 3 March", "2026-12-01"."""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b")
_IN = re.compile(r"\bin\s+(a|one|two|three|four|\d+)\s+(day|week|month)s?\b", re.I)
_WEEKDAY = re.compile(r"\b(next\s+|this\s+)?(" + "|".join(WEEKDAYS) + r")\b", re.I)
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}


def _month(name: str) -> int:
    prefix = name.lower()[:3]
    return next(i for i, m in enumerate(MONTHS, start=1) if m.startswith(prefix))


def _future(year: int, month: int, day: int, today: date) -> date | None:
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    if when < today:
        try:
            when = date(year + 1, month, day)
        except ValueError:
            return None
    return when


def find_date(text: str, today: date) -> date | None:
    """The first date the text names, resolved against `today`; None if it names none."""
    lowered = text.lower()
    if m := _ISO.search(text):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if m := _DAY_MONTH.search(text):
        return _future(today.year, _month(m[2]), int(m[1]), today)
    if m := _MONTH_DAY.search(text):
        return _future(today.year, _month(m[1]), int(m[2]), today)
    if m := _NUMERIC.search(text):  # UK order: day/month
        year = int(m[3]) if m[3] else today.year
        year = year + 2000 if year < 100 else year
        return _future(year, int(m[2]), int(m[1]), today)
    if "tomorrow" in lowered:
        return today + timedelta(days=1)
    if re.search(r"\b(today|tonight|this evening|this afternoon)\b", lowered):
        return today
    if m := _IN.search(text):
        count = _NUMBERS.get(m[1].lower()) or int(m[1])
        unit = m[2].lower()
        days = {"day": 1, "week": 7, "month": 30}[unit] * count
        return today + timedelta(days=days)
    if re.search(r"\bnext week\b", lowered):
        return today + timedelta(days=7 - today.weekday())
    if re.search(r"\b(end of (the|this) week|this week)\b", lowered):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if m := _WEEKDAY.search(text):
        target = WEEKDAYS.index(m[2].lower())
        ahead = (target - today.weekday()) % 7 or 7
        if m[1] and m[1].strip().lower() == "next" and ahead < 7:
            ahead += 7 if today.weekday() >= target else 0
        return today + timedelta(days=ahead)
    return None
