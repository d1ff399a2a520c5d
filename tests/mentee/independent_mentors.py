"""Scripted mentors written for the tests, phrased independently of the quality gate's, so the
mentee is exercised by mentors it was not tuned on.

Each is a function of the conversation so far that returns the next mentor turn (None: done).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from server.frameworks import FrameworkEngine
from server.practice import start, take_turn
from server.scenarios.spec import ScenarioSpec
from server.transcript import Turn

Mentor = Callable[[Sequence[Turn]], str | None]

_PRONOUNS = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "myself": "yourself",
    "am": "are",
    "we": "you",
    "our": "your",
    "us": "you",
    "you": "I",
    "your": "my",
}


def echo(text: str) -> str:
    """A clause of what they said, turned round to "you" (the second sentence if there is one)."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]
    pick = sentences[1] if len(sentences) > 1 and len(sentences[1]) > 25 else sentences[0]
    words = re.findall(r"[A-Za-z']+|[^A-Za-z']+", pick.rstrip(".!?").replace("’", "'"))
    out = "".join(_PRONOUNS.get(w.lower(), w) for w in words)
    return out[:1].lower() + out[1:] if not out.startswith("I ") else out


def mentee_turns(history: Sequence[Turn]) -> list[Turn]:
    return [t for t in history if t.speaker == "mentee"]


def deepest(history: Sequence[Turn]) -> int:
    return max((t.mentee.depth for t in history if t.mentee), default=0)


QUESTIONS = (
    "How does that affect you?",
    "What's the worst of it?",
    "What happens then?",
    "Tell me about that.",
    "What's that been like?",
    "What do you make of it all?",
)
SUMMARY_START = "Let me check I've understood."


def listener(history: Sequence[Turn]) -> str | None:
    """Reflects what was just said, asks open questions, summarises, then goal, options, will."""
    mine = [t.text for t in history if t.speaker == "mentor"]
    n = len(mine)
    notes = [t.mentee for t in history if t.mentee]
    last = mentee_turns(history)[-1]
    if n == 0:
        return "What would you like to talk about today?"
    if last.mentee and last.mentee.bait:
        return "I'm curious what you think yourself. What would feel right for you?"
    if last.mentee and last.mentee.risk_cue and last.mentee.act != "explore_risk":
        return f"You mentioned that {echo(last.text)}. What's that been like for you?"
    if last.mentee and last.mentee.act == "explore_risk":
        return "Could you talk to your GP or occupational health about this?"
    if not any(m.startswith(SUMMARY_START) for m in mine):
        if deepest(history) < 3 and n < 18:
            reflection = f"What I'm hearing is that {echo(last.text)}."
            return reflection if n % 3 == 1 else f"{reflection} {QUESTIONS[n % len(QUESTIONS)]}"
        told = [echo(t.text) for t in mentee_turns(history) if t.mentee and t.mentee.units][-3:]
        return f"{SUMMARY_START} You've told me that {'; and that '.join(told)}."
    options = {o for note in notes for o in note.options}
    if not any(note.goals for note in notes) and "What do you want to be different?" not in mine:
        return "What do you want to be different?"
    if len(options) < 2 and sum(m.startswith("What other options") for m in mine) < 3:
        if "What options can you see?" not in mine:
            return "What options can you see?"
        return "What other options are there?"
    if not any(note.committed for note in notes):
        return (
            None
            if mine.count("Which will you do first, and when?") >= 2
            else ("Which will you do first, and when?")
        )
    if not any(m.startswith("From 0 to 10") for m in mine):
        return "From 0 to 10, how sure are you that you'll do that?"
    return None


ADVICE = (
    "Hello. What brings you here?",
    "Right, I see. The answer is to speak to your line manager.",
    "Why not just ask for fewer shifts?",
    "Have you considered a career break?",
    "Don't worry, it'll all work out fine.",
    "You must stop taking on so much.",
    "In my day we simply got on with it.",
    "My advice is to see occupational health and then take some leave.",
    "What you need is a proper holiday.",
    "You could always change specialty.",
    "I'd drop the extra work straight away if I were you.",
    "Just say no next time.",
)


def adviser(history: Sequence[Turn]) -> str | None:
    """Tells them what to do."""
    n = sum(t.speaker == "mentor" for t in history)
    return ADVICE[n] if n < len(ADVICE) else None


CLOSED = (
    "Is this about work?",
    "Are you tired?",
    "Do you get on with your team?",
    "Have you talked to your manager?",
    "Is it affecting your sleep?",
    "Do you enjoy your job?",
    "Have you been off sick?",
    "Is your partner worried?",
    "Were things better last year?",
    "Did something happen recently?",
    "Would a change of job help?",
    "Are you okay?",
)


def quizzer(history: Sequence[Turn]) -> str | None:
    """Asks only closed questions."""
    n = sum(t.speaker == "mentor" for t in history)
    return CLOSED[n] if n < len(CLOSED) else None


def converse(
    scenario: ScenarioSpec, engine: FrameworkEngine, mentor: Mentor, seed: int = 0
) -> list[Turn]:
    """Run a scripted mentor against the mentee to the end of its script."""
    state, opening = start(scenario, engine, seed)
    history: list[Turn] = [opening]
    for _ in range(40):
        text = mentor(history)
        if text is None:
            break
        outcome = take_turn(scenario, engine, state, history, text)
        state = outcome.state
        history += [outcome.mentor, outcome.mentee]
    return history
