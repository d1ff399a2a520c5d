"""Hand-built transcripts with explicit codings (independent of the coder's judgement)."""

from __future__ import annotations

from pathlib import Path

from server.coding.labels import Code, CodedTurn, CodeHit
from server.datafiles import read_yaml
from server.frameworks import FrameworkEngine, load_file
from server.frameworks.loader import builtin_dir
from server.scenarios.spec import ScenarioSpec
from server.transcript import Turn

ROOT = Path(__file__).resolve().parents[2]
SHORT: dict[str, tuple[Code, str | None]] = {
    "open": (Code.OPEN_QUESTION, None),
    "closed": (Code.CLOSED_QUESTION, None),
    "refl": (Code.REFLECTION, "simple"),
    "crefl": (Code.REFLECTION, "complex"),
    "summary": (Code.SUMMARY, None),
    "affirm": (Code.AFFIRMATION, None),
    "advice": (Code.ADVICE, None),
    "info": (Code.INFORMATION, None),
    "info+perm": (Code.INFORMATION, "with_permission"),
    "roadblock": (Code.ROADBLOCK, "reassuring"),
    "struct": (Code.STRUCTURING, None),
    "signpost": (Code.SIGNPOSTING, None),
    "other": (Code.OTHER, None),
}

Row = str | tuple[str, str] | tuple[str, str, str]


def coded(codes: str, intent: str | None = None, text: str = "") -> CodedTurn:
    """A coding from 'refl open' style short names; each hit's evidence is the whole text."""
    hits = tuple(
        CodeHit(code=SHORT[name][0], detail=SHORT[name][1], span=(0, len(text)), evidence=text)
        for name in codes.split()
    )
    suggestion = (
        "What options have you thought about?"
        if any(h.code in (Code.ADVICE, Code.ROADBLOCK) for h in hits)
        else None
    )
    return CodedTurn(primary=hits[0].code, codes=hits, stage_intent=intent, suggestion=suggestion)


def turns(*rows: Row) -> list[Turn]:
    """A str is a mentee turn; (text, codes) or (text, codes, intent) is a mentor turn."""
    out: list[Turn] = []
    for index, row in enumerate(rows):
        if isinstance(row, str):
            out.append(Turn(index=index, speaker="mentee", text=row))
        else:
            text, codes, *intent = row
            out.append(
                Turn(
                    index=index,
                    speaker="mentor",
                    text=text,
                    coding=coded(codes, intent[0] if intent else None, text),
                )
            )
    return out


def framework(name: str) -> FrameworkEngine:
    return load_file(builtin_dir() / f"{name}.yaml")


def scenario(name: str) -> ScenarioSpec:
    return ScenarioSpec.model_validate(read_yaml(ROOT / "scenarios" / f"{name}.yaml"))


S = "fy2-nights-exhaustion"
OPENING = "Hi. I wasn't sure whether to come, honestly. It's just nights. Everyone does nights. But my supervisor said I looked wiped out."
NIGHTS = "It was seven nights in a row on the medical take. Two of us covering the whole of medicine after ten, and the bleep basically didn't stop."
SLEEP = "I can't get my sleep back. I lie there at two in the afternoon with the blackout blind down and my brain just keeps going."
FRIENDS = "My friends have sort of stopped asking me to things. I don't blame them. I've said no so many times."
CUE = "On Sunday morning I woke up at a red light and didn't remember the last couple of junctions. I haven't told anyone that."
EXPLORED = "It frightened me, honestly. I pulled into a lay-by and cried for ten minutes, and then I drove the rest of the way because I had to get home."
ACCEPT = "I didn't know occupational health would see someone for that. Okay, I'll get in touch with them this week."
CORE = "The real thing is I'm starting to wonder if I'm cut out for this. Everyone else seems to cope with nights and I just fall apart."
GOAL = "I want my days off to actually be days off, where I recover and see people, not just sleep badly."
OPT_LEAVE = "I could actually book my annual leave now, for the wedding and a week in the spring, before the next rota comes out."
OPT_ES = 'I could tell my educational supervisor how the nights have actually been, rather than saying "fine" like I always do.'
COMMIT = "I'll put in my annual leave requests by Friday, before the next rota goes out, and I'll email my ES to book a meeting for next week."
COMPLY = "Okay. Yes. I'll try that."
YES_BUT = "Yes, but if I take leave, someone else has to cover, and they're just as tired as me."


def good_session() -> list[Turn]:
    """A GROW session on fy2 that listens, signposts the cue and ends with her own plan."""
    return turns(
        OPENING,
        ("What would you like to get out of our time today?", "open", "goal"),
        GOAL,
        ("Tell me about the last few weeks: what's been happening?", "open", "story"),
        NIGHTS,
        ("Seven nights with the bleep never stopping — that sounds relentless.", "crefl"),
        SLEEP,
        ("You're running on empty, and the days off don't give it back.", "crefl"),
        FRIENDS,
        ("It sounds like work has squeezed out the people who matter to you.", "crefl"),
        CUE,
        ("That sounds really frightening. What happened after that?", "crefl open", "feelings"),
        EXPLORED,
        (
            "It might help to talk to occupational health or your GP about the driving. "
            "Would you consider that?",
            "signpost",
        ),
        ACCEPT,
        (
            "So far: the nights, the sleep, friends drifting, and a scary drive home. "
            "You've carried a lot. What feels most important?",
            "summary affirm open",
            "story",
        ),
        CORE,
        ("Underneath the tiredness there's a doubt about whether you belong in medicine.", "crefl"),
        "I've never told anyone at work that I'm struggling. I'd rather be the FY2 who copes than the one everyone worries about.",
        ("What could you do to protect your days off?", "open", "options"),
        OPT_LEAVE,
        ("What else could you do?", "open", "options"),
        OPT_ES,
        ("You've found two ways already. What will you do, and by when?", "crefl open", "plan"),
        COMMIT,
    )


def advice_session() -> list[Turn]:
    """The same scenario with a mentor who diagnoses, reassures and advises, and misses the cue."""
    return turns(
        OPENING,
        ("Did your supervisor say why?", "closed"),
        "No, not really.",
        ("Are you sleeping?", "closed"),
        SLEEP,
        ("Don't worry, everyone feels like that after nights. You'll get used to it.", "roadblock"),
        COMPLY,
        ("When I was an FY2 I did nine nights in a row, so it could be worse.", "roadblock"),
        CUE,
        ("You should book some annual leave for your days off.", "advice", "options"),
        YES_BUT,
        ("Have you thought about talking to your educational supervisor?", "advice", "options"),
        COMPLY,
        ("And you should exception report the late finishes.", "advice", "options"),
        "Sure, that makes sense. I'll look into it.",
    )
