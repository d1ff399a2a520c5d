"""The program as mentor: a framework's state machine asks, reflects, summarises and never advises.

Pure functions of (framework engine, WalkState, the user's words, today's date). The caller runs the
risk check first (`server.safety`) and calls `pause_for_support` on a hit.
"""

from __future__ import annotations

import re
from datetime import date

from server.frameworks import Facts, FrameworkEngine, Intent
from server.walkthrough.dates import find_date
from server.walkthrough.model import Answer, Field_, Plan, PlanStep, Prompt, Question, WalkState
from server.walkthrough.reflect import first_clause, for_the_user, reflect, second_person

MIN_ANSWERS = 2
MAX_WRAP_UP_ASKS = 2
EVERYTHING = Facts.satisfied()  # the user's own choice to move on: no guard keeps them
WRAP_UP: dict[Field_, str] = {
    "goal": "Before we finish: in a sentence, what do you want to achieve?",
    "options": "What options have you considered, even the ones you might not choose?",
    "step": "What is your first step, and when will you take it? A day or a date helps.",
    "confidence": "On a scale of 0 to 10, how confident are you that you will take that step?",
    "support": "What support do you need, and from whom?",
}
_NUMBER = re.compile(r"\b(10|[0-9])(?:\s*(?:/|out of)\s*10)?\b")
_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_SPLIT = re.compile(r"\n+|;|\s*(?:^|\s)[-*•]\s+|,\s*(?:or\s+)?|\s+or\s+|\s+and also\s+", re.I)


def field_of(engine: FrameworkEngine, stage: str, question: str) -> Field_:
    """Which plan field an answer to `question` in `stage` fills."""
    signals = set(engine.steps[stage].signals)
    q = question.lower()
    if Intent.SUPPORT in signals and "support" in q:
        return "support"
    if signals & {Intent.COMMITMENT, Intent.SCALING, Intent.PLAN} and re.search(
        r"scale|confident|committed|\b1 to 10\b|\b0 to 10\b", q
    ):
        return "confidence"
    if Intent.PLAN in signals and re.search(
        r"\bwhen\b|first step|will you do|small step|this week", q
    ):
        return "step"
    if Intent.CHOICE in signals and re.search(r"\bwhich\b", q):
        return "choice"
    if Intent.OPTIONS in signals and re.search(
        r"could you|else|options|would you try|what would", q
    ):
        return "options"
    if Intent.GOAL in signals:
        return "goal"
    return "none"


def _next_canonical(
    engine: FrameworkEngine, state: WalkState, stage: str
) -> tuple[int, str] | None:
    asked = state.asked.get(stage, [])
    for i, question in enumerate(engine.steps[stage].questions):
        if i not in asked:
            return i, question
    return None


def _facts(engine: FrameworkEngine, state: WalkState) -> Facts:
    stage = state.position.stage
    in_stage = [a for a in state.answers if a.stage == stage]
    return Facts(
        mentor_turns_in_stage=len(in_stage),
        story_heard=len(state.answers) >= MIN_ANSWERS,
        summary_given=True,
        contract_agreed=bool(state.answers),
        goal_stated=bool(state.plan.goal),
        scale_given=state.plan.confidence is not None,
        resources_named=bool(in_stage) or len(state.answers) >= MIN_ANSWERS,
        options_found=len(state.plan.options),
        option_chosen=bool(state.plan.steps),
    )


def _stage_done(engine: FrameworkEngine, state: WalkState) -> bool:
    stage = state.position.stage
    in_stage = [a for a in state.answers if a.stage == stage]
    signals = set(engine.steps[stage].signals)
    if len(in_stage) < MIN_ANSWERS and _next_canonical(engine, state, stage):
        return False
    needs = {
        Intent.GOAL: bool(state.plan.goal),
        Intent.OPTIONS: len(state.plan.options) >= 2,
        Intent.PLAN: bool(state.plan.steps) and state.plan.steps[0].due is not None,
    }
    unmet = [intent for intent, ok in needs.items() if intent in signals and not ok]
    return not unmet or _next_canonical(engine, state, stage) is None


def _absorb(state: WalkState, question: Question, text: str, today: date) -> Plan:
    plan = state.plan.model_copy(deep=True)
    clause = first_clause(text, max_words=30)
    if question.field == "goal" and not plan.goal:
        plan.goal = clause
    elif question.field in ("options", "choice"):
        for part in _SPLIT.split(text):
            option = part.strip(" .!-*•").strip()
            if len(option.split()) >= 2 and option.lower() not in {o.lower() for o in plan.options}:
                plan.options.append(option)
        if question.field == "choice" and not plan.steps:
            plan.steps.append(PlanStep(text=clause, due=find_date(text, today)))
    elif question.field == "step":
        due = find_date(text, today)
        undated = next((i for i, step in enumerate(plan.steps) if step.due is None), None)
        if undated is not None and due is not None and question.canonical is None:
            plan.steps[undated] = PlanStep(text=plan.steps[undated].text, due=due)
        elif clause.lower() not in {step.text.lower() for step in plan.steps}:
            plan.steps.append(PlanStep(text=clause, due=due))
    elif question.field == "confidence":
        plan.confidence = _confidence(text, plan.confidence)
    elif question.field == "support" and not plan.support:
        plan.support = clause
    return plan


def _confidence(text: str, current: int | None) -> int | None:
    if m := _NUMBER.search(text):
        return int(m[1])
    for word, value in _WORD_NUMBERS.items():
        if re.search(rf"\b{word}\b", text.lower()):
            return value
    return current


def _ask(engine: FrameworkEngine, state: WalkState, stage: str) -> Question:
    nxt = _next_canonical(engine, state, stage)
    if nxt is None:
        missing = [
            f for f in state.plan.missing() if state.wrap_up_asks.get(f, 0) < MAX_WRAP_UP_ASKS
        ]
        field: Field_ = missing[0] if missing else "none"
        text = WRAP_UP.get(field, "Is there anything else you'd like to add before we finish?")
        if field == "step" and state.plan.steps and state.plan.steps[0].due is None:
            text = "When will you take that first step? A day or a date helps."
        if field != "none":
            state.wrap_up_asks[field] = state.wrap_up_asks.get(field, 0) + 1
        return Question(stage=stage, text=text, field=field)
    index, text = nxt
    state.asked.setdefault(stage, []).append(index)
    return Question(stage=stage, text=text, field=field_of(engine, stage, text), canonical=index)


def summary_of(engine: FrameworkEngine, state: WalkState, stage: str) -> str:
    """A short summary of what the user said in `stage`, in the second person."""
    said = [
        _lower_first(second_person(first_clause(a.text, 16)))
        for a in state.answers
        if a.stage == stage
    ]
    if not said:
        return f"We moved on from {engine.title(stage)}."
    listed = "; ".join(dict.fromkeys(said[-3:]))
    return f"Let me sum up {engine.title(stage)}: {listed}."


def _lower_first(text: str) -> str:
    return text if text.startswith("I ") or not text else text[0].lower() + text[1:]


def _prompt(engine: FrameworkEngine, state: WalkState, **parts: str | None) -> Prompt:
    assert state.pending is not None
    stage = state.position.stage
    pieces = [parts.get("reflection"), parts.get("summary")]
    intro = parts.get("intro")
    text = " ".join(p for p in (*pieces, intro, state.pending.text) if p)
    return Prompt(
        kind="question", text=text, stage=stage, stage_title=engine.title(stage),
        reflection=parts.get("reflection"), summary=parts.get("summary"), question=state.pending.text,
    )  # fmt: skip


def _intro(engine: FrameworkEngine, stage: str) -> str:
    return f"Now, {engine.title(stage)}. The aim: {for_the_user(engine.steps[stage].purpose)}"


def start(engine: FrameworkEngine) -> tuple[WalkState, Prompt]:
    """A new walkthrough at the framework's first stage, with its first question."""
    state = WalkState(framework=engine.id, position=engine.start())
    state.pending = _ask(engine, state, state.position.stage)
    welcome = (
        f"This is a private walkthrough of {engine.spec.name}. I'll ask questions and say back "
        "what I hear; the answers and the plan are yours. You can go back, skip or pause at any time."
    )
    prompt = _prompt(engine, state, intro=f"{welcome} {_intro(engine, state.position.stage)}")
    return state, prompt


def answer(
    engine: FrameworkEngine, state: WalkState, text: str, today: date
) -> tuple[WalkState, Prompt]:
    """Take the user's answer: reflect it, fill the plan, move on when the stage's purpose is met."""
    question = state.pending
    if state.status != "active" or question is None:
        raise ValueError(f"This walkthrough is {state.status}; resume it first.")
    state = state.model_copy(deep=True)
    state.answers.append(Answer(stage=question.stage, question=question.text, text=text))
    state.plan = _absorb(state, question, text, today)
    state.turn += 1
    reflection = reflect(text, state.turn)
    if question.field == "confidence" and state.plan.confidence is not None:
        reflection = f"{state.plan.confidence} out of 10."
    if not _stage_done(engine, state):
        state.pending = _ask(engine, state, state.position.stage)
        return state, _prompt(engine, state, reflection=reflection)
    return _advance(engine, state, reflection)


def _advance(
    engine: FrameworkEngine, state: WalkState, reflection: str | None
) -> tuple[WalkState, Prompt]:
    here = state.position.stage
    summary = summary_of(engine, state, here)
    nxt = engine.next_stage(here)
    if nxt is None:
        if any(state.wrap_up_asks.get(f, 0) < MAX_WRAP_UP_ASKS for f in state.plan.missing()):
            state.pending = _ask(engine, state, here)
            return state, _prompt(engine, state, reflection=reflection)
        return _finish(engine, state, reflection, summary)
    result = engine.move(state.position, nxt, _facts(engine, state), state.turn)
    if not result.accepted and _next_canonical(engine, state, here) is not None:
        state.position = result.state
        state.pending = _ask(engine, state, here)
        return state, _prompt(engine, state, reflection=reflection)
    if not result.accepted:  # every question of the stage answered: the user is not kept in it
        result = engine.move(result.state, nxt, EVERYTHING, state.turn)
    state.position = result.state
    state.pending = _ask(engine, state, nxt)
    return state, _prompt(
        engine, state, reflection=reflection, summary=summary, intro=_intro(engine, nxt)
    )


def _finish(
    engine: FrameworkEngine, state: WalkState, reflection: str | None, summary: str
) -> tuple[WalkState, Prompt]:
    state.status = "finished"
    state.pending = None
    stage = state.position.stage
    text = " ".join(p for p in (reflection, summary, "That's your plan, in your words. Well done for making the time for this.") if p)  # fmt: skip
    return state, Prompt(kind="finished", text=text, stage=stage, stage_title=engine.title(stage), reflection=reflection, summary=summary)  # fmt: skip


def back(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt]:
    """Go back to the previous stage and ask its next question."""
    _require(state, "active")
    here = state.position.stage
    order = engine.order[here]
    if order == 0:
        raise ValueError("This is the first stage; there is nowhere to go back to.")
    prev = engine.stage_ids[order - 1]
    return _jump(engine, state, prev, "Let's go back.")


def skip(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt]:
    """Skip the rest of this stage (the user's choice; recorded)."""
    _require(state, "active")
    nxt = engine.next_stage(state.position.stage)
    if nxt is None:
        state = state.model_copy(deep=True)
        return _finish(engine, state, None, summary_of(engine, state, state.position.stage))
    return _jump(engine, state, nxt, "Let's move on.")


def _jump(
    engine: FrameworkEngine, state: WalkState, dest: str, say: str
) -> tuple[WalkState, Prompt]:
    state = state.model_copy(deep=True)
    result = engine.move(state.position, dest, EVERYTHING, state.turn)
    if not result.accepted:
        raise ValueError(result.reason or "That move is not possible here.")
    state.position = result.state
    state.pending = _ask(engine, state, dest)
    return state, _prompt(engine, state, intro=f"{say} {_intro(engine, dest)}")


def pause(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt]:
    """Pause; the pending question is kept for when the user comes back."""
    _require(state, "active")
    state = state.model_copy(update={"status": "paused"})
    stage = state.position.stage
    text = "Paused. Everything so far is saved; come back when you're ready."
    return state, Prompt(kind="paused", text=text, stage=stage, stage_title=engine.title(stage))


def pause_for_support(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt]:
    """Stop the exercise after a risk check hit; the words that caused it are not kept."""
    state = state.model_copy(update={"status": "support", "support_shown": state.support_shown + 1})
    stage = state.position.stage
    text = (
        "I'm going to pause here. What you wrote sounds like things may be really hard right now, "
        "and you deserve support from a person. The people below can help, today."
    )
    return state, Prompt(kind="support", text=text, stage=stage, stage_title=engine.title(stage))


def resume(engine: FrameworkEngine, state: WalkState) -> tuple[WalkState, Prompt]:
    """Carry on from where the user paused (or after the support card), with the pending question."""
    if state.status not in ("paused", "support"):
        raise ValueError(f"This walkthrough is {state.status}, not paused.")
    state = state.model_copy(update={"status": "active"})
    if state.pending is None:
        state.pending = _ask(engine, state, state.position.stage)
    return state, _prompt(engine, state, intro="Welcome back.")


def _require(state: WalkState, status: str) -> None:
    if state.status != status:
        raise ValueError(f"This walkthrough is {state.status}; that needs it {status}.")
