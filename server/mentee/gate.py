"""The scenario author's quality gate: three scripted mentors talk to the mentee.

- a good empowerer mentor (GROW: a goal question, then open questions and reflections of what was
  just said, a summary, then options and will questions) must reach the core layer and a
  specific commitment;
- an advice-giver must get no deeper than the surface and no commitment;
- a closed-question interrogator must get short answers and no core disclosure.

Each mentor is a pure function of the conversation so far (it reads the words and the mentee's
annotations, as a trainee reads the screen).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from server import language
from server.frameworks import FrameworkEngine
from server.scenarios.spec import ScenarioSpec
from server.transcript import Turn

Mentor = Callable[[Sequence[Turn]], str | None]
GATE_FRAMEWORK = "grow"

_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def second_person(text: str) -> str:
    """Say back in the second person: "I can't sleep" -> "you can't sleep"."""
    said = language.second_person(text.replace("’", "'"), both_ways=True).strip()
    return said[:1].lower() + said[1:] if not said.startswith("I ") else said


def gist(text: str) -> str:
    """The longest sentence of a reply, without its full stop, in the second person."""
    sentences = [s for s in _SENTENCE.findall(text.strip()) if s.strip()] or [text]
    longest = max(sentences, key=len).strip()
    return second_person(longest.rstrip(".!?"))


def _mentee_turns(history: Sequence[Turn]) -> list[Turn]:
    return [t for t in history if t.speaker == "mentee"]


def _mentor_count(history: Sequence[Turn]) -> int:
    return sum(t.speaker == "mentor" for t in history)


def _depth(history: Sequence[Turn]) -> int:
    return max((t.mentee.depth for t in history if t.mentee), default=0)


# ---------------------------------------------------------------- the good mentor

_OPEN = (
    "What's been happening?",
    "How has that been for you?",
    "What's that like, day to day?",
    "What's the hardest part of it?",
    "How do you make sense of it?",
    "What matters most to you in all this?",
    "What's been on your mind about it?",
)


def _listening_turn(history: Sequence[Turn], n: int) -> str:
    last = _mentee_turns(history)[-1]
    note = last.mentee
    if note is not None and note.risk_cue and note.act != "explore_risk":
        return f"That sounds frightening: {gist(last.text)}. How are you with that now?"
    if note is not None and note.act == "explore_risk":
        return (
            "Thank you for telling me. Would you consider speaking to your GP or "
            "occupational health about that?"
        )
    if note is not None and note.bait:
        return "You'd like to know what others do. What do you think would suit you?"
    reflection = f"It sounds like {gist(last.text)}."
    return reflection if n % 2 else f"{reflection} {_OPEN[(n // 2) % len(_OPEN)]}"


def _summary(history: Sequence[Turn]) -> str:
    said = [t for t in _mentee_turns(history)[1:] if t.mentee and t.mentee.units][-3:]
    pieces = "; ".join(gist(t.text) for t in said) or gist(_mentee_turns(history)[-1].text)
    return f"{_SUMMARY_OPENING} what you've told me: {pieces}."


REALITY_TURNS = 16
_SUMMARY_OPENING = "So, to sum up"


def good_mentor(history: Sequence[Turn]) -> str | None:
    """Open questions, reflections of what was just said, a summary, then goal, options, will."""
    n = _mentor_count(history)
    notes = [t.mentee for t in history if t.mentee]
    if n == 0:
        return "What would you like to get out of our time today?"
    last = _mentee_turns(history)[-1].mentee
    if last is not None and (last.risk_cue or last.bait):
        return _listening_turn(history, n)
    asked = [t.text for t in history if t.speaker == "mentor"]
    if not any(q.startswith(_SUMMARY_OPENING) for q in asked):
        if _depth(history) < 3 and n < REALITY_TURNS:
            return _listening_turn(history, n)
        return _summary(history)
    options = {o for note in notes for o in note.options}
    committed = any(note.committed for note in notes)
    if not any(note.goals for note in notes) and asked.count(_GOAL) < 2:
        return _GOAL
    options_asked = [q for q in asked if q in _OPTIONS]
    if len(options) < 2 and len(options_asked) < 4:
        return _OPTIONS[1] if options_asked else _OPTIONS[0]
    if not committed and asked.count(_WILL) < 2:
        return _WILL
    if committed and _SCALE not in asked:
        return _SCALE
    return None


_GOAL = "Having said all that, what would you like to be different?"
_OPTIONS = ("What could you do about it?", "What else could you do?")
_WILL = "What will you do, and by when?"
_SCALE = "On a scale of 0 to 10, how confident do you feel about doing that?"


# ---------------------------------------------------------------- the advice-giver

_ADVICE = (
    "What's going on?",
    "You should talk to your supervisor about it.",
    "Why don't you take some annual leave?",
    "Have you thought about going part-time?",
    "You need to look after yourself first. Get some proper sleep.",
    "Don't worry, everyone feels like this at some point.",
    "When I was in your position I just got my head down and got on with it.",
    "I think you should tell them you can't keep doing this.",
    "You ought to write down a plan and stick to it.",
    "So what will you do, and by when?",
    "If I were you I'd speak to HR this week.",
    "The best thing is to set some boundaries.",
)


def advice_giver(history: Sequence[Turn]) -> str | None:
    """Diagnoses and tells them what to do."""
    n = _mentor_count(history)
    return _ADVICE[n] if n < len(_ADVICE) else None


# ---------------------------------------------------------------- the interrogator

_CLOSED = (
    "Are you sleeping?",
    "Did you tell your supervisor?",
    "Is it the rota?",
    "Do you like your job?",
    "Have you taken any leave recently?",
    "Is your family supportive?",
    "Are you eating properly?",
    "Do you want to carry on in this job?",
    "Was it always like this?",
    "Is there anything you can change?",
    "Have you spoken to anyone else?",
    "Is it getting worse?",
)


def interrogator(history: Sequence[Turn]) -> str | None:
    """Fires closed questions."""
    n = _mentor_count(history)
    return _CLOSED[n] if n < len(_CLOSED) else None


# ---------------------------------------------------------------- running and judging


def converse(
    scenario: ScenarioSpec,
    engine: FrameworkEngine,
    mentor: Mentor,
    seed: int = 0,
    max_turns: int = 30,
) -> list[Turn]:
    """The whole conversation of one scripted mentor with the mentee."""
    from server.practice import start, take_turn

    state, opening = start(scenario, engine, seed)
    history: list[Turn] = [opening]
    for _ in range(max_turns):
        text = mentor(history)
        if text is None:
            break
        outcome = take_turn(scenario, engine, state, history, text)
        state = outcome.state
        history += [outcome.mentor, outcome.mentee]
    return history


def judge_good(turns: Sequence[Turn]) -> str | None:
    """None if the good mentor reached the core and a specific commitment, else what failed."""
    if _depth(turns) < 3:
        return f"never reached the core layer (deepest: {_depth(turns)})"
    if not any(t.mentee and t.mentee.committed for t in turns):
        return "got no commitment"
    return None


def judge_advice(turns: Sequence[Turn]) -> str | None:
    """None if the advice-giver got no deeper than the surface and no commitment."""
    if _depth(turns) > 1:
        return f"got past the surface layer (depth {_depth(turns)})"
    if any(t.mentee and t.mentee.committed for t in turns):
        return "got a commitment"
    return None


def judge_interrogator(turns: Sequence[Turn]) -> str | None:
    """None if closed questions got short answers and the core stayed closed."""
    if _depth(turns) >= 3:
        return "reached the core layer"
    for asked, reply in itertools.pairwise(turns):
        coding = asked.coding
        if coding is None or reply.mentee is None:
            continue
        if coding.primary.value == "closed_question" and reply.mentee.act != "short_answer":
            return f"a closed question got '{reply.mentee.act}', not a short answer: {asked.text!r}"
    return None


MENTORS: dict[str, tuple[Mentor, Callable[[Sequence[Turn]], str | None]]] = {
    "good empowerer mentor": (good_mentor, judge_good),
    "advice-giver": (advice_giver, judge_advice),
    "closed-question interrogator": (interrogator, judge_interrogator),
}


def run_gate(scenario: ScenarioSpec, engine: FrameworkEngine, seed: int = 0) -> list[str]:
    """The problems found (empty when the scenario passes), each naming the mentor."""
    problems = []
    for name, (mentor, judge) in MENTORS.items():
        problem = judge(converse(scenario, engine, mentor, seed))
        if problem:
            problems.append(f"{scenario.id}: the {name} {problem}")
    return problems
