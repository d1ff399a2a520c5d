"""The exemplar mentor: an empowerer policy driven by the framework's state machine.

Each turn is chosen from the conversation so far (the mentee's words and the annotations a
practice session returns) and the framework state:

1. the first turn contracts briefly (time, confidentiality and its limit) and asks the stage's
   opening question;
2. a risk cue is explored gently (for a high-level cue, with a direct question), then signposted
   warmly; a request for advice ("What would you do?") is handed back;
3. otherwise the current stage's tasks, read from its `signals` (listen, perspective, leverage,
   goal, scale, resources, options, choice, plan, confidence, support, review), are worked in turn:
   about two reflections, built from the mentee's own words, for every open question, the
   questions taken from the stage's canonical `questions` first;
4. when a stage's tasks are done: a summary of what was said, a structuring statement, and the
   next stage's first question, in one turn; moves are made only where the framework's guards
   allow them (checked with the same tracker the practice engine uses);
5. the conversation ends when the final stage's review question has been answered.

Every candidate sentence is run through the micro-skill coder before it is said, and only one the
coder reads as intended is kept (never advice or a roadblock, never a question that would move the
framework somewhere unintended). Deterministic: no randomness, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from server.coding import code_turn
from server.coding.labels import Code, CodedTurn
from server.exemplar import language as lang
from server.frameworks import FrameworkEngine, FrameworkState, Intent
from server.frameworks.tracker import follow, target_for
from server.scenarios.spec import ScenarioSpec, Unit
from server.scoring.micro import has_advice
from server.transcript import MenteeAnnotation, Turn

TASK_ORDER = (
    "contract",
    "listen",
    "perspective",
    "leverage",
    "goal",
    "scale",
    "scale_why",
    "matter",
    "resources",
    "options",
    "choice",
    "plan",
    "confidence",
    "support",
    "review",
)

# The stage intents a task's question may carry (None: no stage intent).
TASK_INTENTS: dict[str, frozenset[str | None]] = {
    "listen": frozenset({None, "story", "feelings"}),
    "perspective": frozenset({"perspective"}),
    "leverage": frozenset({"leverage"}),
    "goal": frozenset({"goal"}),
    "scale": frozenset({"scaling"}),
    "scale_why": frozenset({None, "scaling", "resources"}),
    "matter": frozenset({"scaling", "commitment"}),
    "resources": frozenset({"resources"}),
    "options": frozenset({"options"}),
    "choice": frozenset({"choice"}),
    "plan": frozenset({"plan"}),
    "confidence": frozenset({"commitment", "scaling"}),
    "support": frozenset({"support"}),
    "review": frozenset({"review"}),
    "handback": frozenset({None, "story", "feelings", "options", "goal"}),
}

FALLBACK_QUESTIONS: dict[str, tuple[str, ...]] = {
    "listen": (
        "What's been happening?",
        "What has been the hardest part?",
        "How has all this been for you?",
        "What's that like for you, day to day?",
        "How are you, in yourself, with all of this?",
        "What's been on your mind about it?",
        "What sits underneath that for you?",
        "How do you make sense of it?",
    ),
    "perspective": (
        "How might someone else involved see this?",
        "What might you be missing?",
        "What would you say to a colleague in your position?",
    ),
    "leverage": (
        "What matters most to you in all this?",
        "What would make the biggest difference to how you feel?",
    ),
    "goal": (
        "What would you like to be different?",
        "What would you like instead?",
        "What do you want for yourself in this?",
        "What would better look like for you?",
    ),
    "scale": (
        "Where would you put things now, on a scale of 0 to 10, where 10 is how you want them "
        "to be?",
        "How would you rate where you are now, from 0 to 10?",
    ),
    "scale_why": (
        "What puts you at that number, and not at zero?",
        "What's already there that gets you that far?",
    ),
    "matter": (
        "How much does this goal matter to you, from 0 to 10?",
        "What will it cost you to get there?",
    ),
    "resources": (
        "What has helped you with something like this before?",
        "What else has helped you before?",
        "What already helps, even a little?",
    ),
    "options": (
        "What could you do?",
        "What else could you do?",
        "What other options can you see?",
        "If there were no limits at all, what might you try?",
    ),
    "choice": (
        "Which of these suits you best?",
        "Which of those appeals to you most?",
    ),
    "plan": (
        "What will you do, and by when?",
        "What is your first step, and when will you take it?",
    ),
    "confidence": (
        "How confident are you, from 0 to 10, about taking that step?",
        "How sure are you, from 0 to 10, that you'll take it?",
    ),
    "support": (
        "What support will you need, and from whom?",
        "What support would help you take that step?",
    ),
    "review": (
        "What will you take away from today?",
        "How has this conversation been for you?",
        "What has been useful today?",
    ),
    "handback": (
        "What do you think would help?",
        "What would feel right for you?",
        "What would you want for yourself here?",
    ),
}

STRUCTURING: dict[str, tuple[str, ...]] = {
    "listen": ("Let's start with what's going on for you.", "Shall we start with the story?"),
    "perspective": ("Shall we step back and look at it from another angle?",),
    "leverage": ("Shall we look at which part matters most?",),
    "goal": ("Shall we turn to what you'd like instead?", "Shall we look at what you want?"),
    "scale": ("Let's look at where things are now.", "Let's look at where you are now."),
    "matter": ("Let's look at how much this matters to you.",),
    "resources": ("Shall we look at what already helps?",),
    "options": ("Shall we look at what you could do?", "Let's look at your options."),
    "choice": ("Shall we look at which of these fits you best?",),
    "plan": ("Shall we turn that into a plan?", "Let's look at the next step."),
    "confidence": ("Shall we turn that into a plan?",),
    "support": ("Shall we turn that into a plan?",),
    "review": ("Shall we look back at what we've covered?", "Before we finish, let's look back."),
}

WHY: dict[str, str] = {
    "contract": "Contracted briefly: the time, confidentiality and its one limit (safety), so the "
    "mentee knows nothing goes to anyone else.",
    "listen": "Open question to invite the story.",
    "perspective": "Invited a new perspective (how others might see it), gently, once trust "
    "was there.",
    "leverage": "Asked which part matters most, so the mentee chooses where to work.",
    "goal": "Asked for the mentee's own goal, in their own words.",
    "scale": "Scaling question: where things are now, 0-10.",
    "scale_why": "Asked what puts them at that number and not lower (what is already there).",
    "matter": "Checked how much the goal matters to them.",
    "resources": "Asked what already helps, to find their own resources.",
    "options": "Asked for the mentee's own options, not mine.",
    "what_else": "Asked 'What else?' to widen the options before choosing.",
    "choice": "Asked which option suits them: the choice stays theirs.",
    "plan": "Asked for a specific first step with a date.",
    "confidence": "Asked for their confidence, 0-10, to test the commitment.",
    "support": "Asked what support they need, and from whom.",
    "review": "Short review: what they take away from the conversation.",
    "simple_reflection": "Simple reflection: said back what they said, in their words.",
    "complex_reflection": "Complex reflection of the feeling or meaning under what they said.",
    "summary": "Summary before moving on: gathered what was disclosed in this stage.",
    "structuring": "Structuring statement to move to {stage}, once the guards allowed it.",
    "back": "Went back to {stage} now that the story has been heard (moving back is normal).",
    "handback": "Handed the 'what would you do?' back: their own answer will fit them better.",
    "explore_risk": "Noticed the risk cue and explored it gently, in their words.",
    "direct_risk": "Asked directly about suicidal thoughts: asking does not plant the idea, and "
    "it tells them it can be said.",
    "signpost": "Signposted warmly to {services}: mentoring alone is not enough for this.",
    "affirmation": "Affirmed a strength heard in the conversation.",
}

LISTEN_MAX = 16
CORE_EXTRA = 3
UNITS_ENOUGH = 7
RATIO = 2.0


@dataclass(frozen=True)
class Progress:
    """What the conversation has reached so far, read from the mentee's annotations."""

    depth: int
    units: tuple[str, ...]
    goals: tuple[str, ...]
    options: tuple[str, ...]
    chosen: bool
    committed: bool
    confidence_given: bool
    scale_given: bool
    last: Turn | None

    @property
    def story_heard(self) -> bool:
        return self.depth >= 2

    @property
    def note(self) -> MenteeAnnotation | None:
        return self.last.mentee if self.last is not None else None


def progress(history: Sequence[Turn]) -> Progress:
    """The progress the mentee's annotations show."""
    notes = [t.mentee for t in history if t.speaker == "mentee" and t.mentee is not None]
    committed_at = next((i for i, n in enumerate(notes) if n.committed), None)
    mentee = [t for t in history if t.speaker == "mentee"]
    return Progress(
        depth=max((n.depth for n in notes), default=0),
        units=tuple(dict.fromkeys(u for n in notes for u in n.units)),
        goals=tuple(dict.fromkeys(g for n in notes for g in n.goals)),
        options=tuple(dict.fromkeys(o for n in notes for o in n.options)),
        chosen=any(n.act == "choose" for n in notes),
        committed=committed_at is not None,
        confidence_given=committed_at is not None
        and any(n.scale is not None for n in notes[committed_at:]),
        scale_given=any(n.scale is not None for n in notes),
        last=mentee[-1] if mentee else None,
    )


def stage_tasks(engine: FrameworkEngine, stage: str) -> tuple[str, ...]:
    """The tasks the exemplar works in `stage`, from its signals, in TASK_ORDER."""
    step = engine.steps[stage]
    signals = {str(s) for s in step.signals}
    story_anywhere = bool(engine.stages_for(Intent.STORY))
    initial = stage == engine.stage_ids[0]
    tasks: set[str] = set()
    if initial:
        tasks.add("contract")
    if "story" in signals or (initial and not story_anywhere):
        tasks.add("listen")
    if "perspective" in signals and not signals & {"story", "resources"}:
        tasks.add("perspective")
    if "leverage" in signals and "goal" not in signals:
        tasks.add("leverage")
    if "goal" in signals:
        tasks.add("goal")
    if "scaling" in signals and "commitment" not in signals:
        tasks |= {"scale", "scale_why"}
    if "commitment" in signals and "plan" not in signals:
        tasks.add("matter")
    if "resources" in signals and not signals & {"story", "options"}:
        tasks.add("resources")
    if "options" in signals:
        tasks.add("options")
    if "choice" in signals and ("options" in signals or step.action):
        tasks.add("choice")
    if "plan" in signals:
        tasks.add("plan")
    if "commitment" in signals and "plan" in signals:
        tasks.add("confidence")
    if "support" in signals and "plan" in signals:
        tasks.add("support")
    if "review" in signals:
        tasks.add("review")
    return tuple(t for t in TASK_ORDER if t in tasks)


def affirms(engine: FrameworkEngine, stage: str) -> bool:
    """The stage's moves include naming a strength (OSKAR's Affirm and action)."""
    return any("affirm" in move.lower() for move in engine.steps[stage].moves)


@dataclass
class Memory:
    """What the mentor remembers between turns (its own moves; the rest is in the transcript)."""

    turns: int = 0
    reflections: int = 0
    questions: int = 0
    style: int = 0
    said_back: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    task_asks: Counter[str] = field(default_factory=Counter)
    visit_asks: Counter[str] = field(default_factory=Counter)
    visit_stage: str = ""
    visit_index: int = -1
    listen_turns: int = 0
    core_turn: int | None = None
    quiet: int = 0
    explored: set[str] = field(default_factory=set)
    signposted: set[str] = field(default_factory=set)
    affirmed: bool = False
    last_summary: int = 0
    handled_bait: int = -1
    pending_first: str | None = None


@dataclass(frozen=True)
class Plan:
    """One mentor turn: the words, the moves it makes and why (for the facilitator)."""

    text: str
    notes: tuple[tuple[str, str], ...]
    coding: CodedTurn


@dataclass(frozen=True)
class Context:
    """Everything a decision reads."""

    scenario: ScenarioSpec
    engine: FrameworkEngine
    state: FrameworkState
    history: Sequence[Turn]
    next_index: int
    budget: int

    @property
    def stage(self) -> str:
        return self.state.stage

    @property
    def last_text(self) -> str | None:
        last = self.history[-1] if self.history else None
        return last.text if last is not None and last.speaker == "mentee" else None


# ---------------------------------------------------------------- checking candidates

BAD = frozenset({Code.ROADBLOCK, Code.INFORMATION})


@dataclass(frozen=True)
class Want:
    """What a candidate turn must be, as the coder reads it."""

    reflect: bool = False
    summary: bool = False
    question: bool | None = False
    closed_ok: bool = False
    structuring: bool = False
    signpost: bool = False
    intents: frozenset[str | None] | None = None
    dest: str | None = None


def _questions(coded: CodedTurn) -> list[Code]:
    return [h.code for h in coded.codes if h.code in (Code.OPEN_QUESTION, Code.CLOSED_QUESTION)]


def check(text: str, want: Want, ctx: Context) -> CodedTurn | None:
    """The coding of `text` if the coder reads it as `want`, else None."""
    coded = code_turn(text, ctx.last_text)
    if any(coded.has(code) for code in BAD) or has_advice(coded):
        return None
    if coded.has(Code.SIGNPOSTING) != want.signpost:
        return None
    if want.reflect and not (coded.has(Code.REFLECTION) or coded.has(Code.SUMMARY)):
        return None
    if want.summary and not coded.has(Code.SUMMARY):
        return None
    if want.structuring and not coded.has(Code.STRUCTURING):
        return None
    asked = _questions(coded)
    if want.question is None:
        if len(asked) > 1:
            return None
    elif want.question:
        if len(asked) != 1 or (asked[0] is Code.CLOSED_QUESTION and not want.closed_ok):
            return None
    elif asked:
        return None
    if want.intents is not None and coded.stage_intent not in want.intents:
        return None
    target = target_for(ctx.engine, ctx.stage, coded.stage_intent)
    if target != want.dest:
        return None
    if want.dest is not None:
        said = Turn(index=ctx.next_index, speaker="mentor", text=text, coding=coded)
        moved = follow(ctx.engine, ctx.state, [*ctx.history, said], coded.stage_intent)
        if moved is None or not moved.accepted:
            return None
    return coded


def first_fit(candidates: Iterable[str], want: Want, ctx: Context) -> tuple[str, CodedTurn] | None:
    """The first candidate the coder reads as `want` (never a repeat of a recent mentor turn)."""
    recent = {t.text for t in ctx.history[-8:] if t.speaker == "mentor"}
    for text in dict.fromkeys(c.strip() for c in candidates if c and c.strip()):
        if text in recent:
            continue
        coded = check(text, want, ctx)
        if coded is not None:
            return text, coded
    return None


# ---------------------------------------------------------------- reflections and summaries


@dataclass(frozen=True)
class Reflection:
    text: str
    complex: bool
    clause: str


def _reply_clause(note: MenteeAnnotation | None, text: str, avoid: Sequence[str]) -> str | None:
    """The clause of a reply to say back; None for a bare rating (a number said back does not
    land: the reflection then comes from an earlier reply)."""
    if note is not None and note.scale is not None:
        return None
    return lang.key_clause(text, avoid)


WEAK_ACTS = frozenset({"hedge", "ack", "short_answer", "comply", "withdraw"})
ACTION_ACTS = frozenset({"commit", "choose", "scale", "review", "accept_signpost", "goal"})


def reflections(ctx: Context, mem: Memory) -> list[Reflection]:
    """Candidate reflections of the last reply (else of an earlier one that said something),
    complex ones first on two turns in three."""
    mentee = [t for t in ctx.history if t.speaker == "mentee"][-3:]
    ranked = sorted(
        reversed(mentee), key=lambda t: t.mentee is not None and t.mentee.act in WEAK_ACTS
    )
    for turn in ranked:
        clause = _reply_clause(turn.mentee, turn.text, mem.said_back)
        if clause is None:
            continue
        return _reflection_forms(clause, turn.text, turn.mentee, mem.style)
    return []


def _reflection_forms(
    clause: str, source: str, note: MenteeAnnotation | None, style: int
) -> list[Reflection]:
    feeling = lang.feeling_in(source)
    act = note.act if note is not None else ""
    option = lang.gerund_option(clause) if note is not None and note.options else None
    simple: list[str] = []
    complex_: list[str] = []
    if option:
        simple += [f"So {option} is one possibility.", f"You're thinking of {option}."]
        complex_ += [
            f"It sounds like {option} is something you could really see yourself doing.",
            f"It sounds like {option} appeals to you.",
        ]
    if lang.is_fragment(clause):
        simple += [f"So you're feeling {clause}.", f"You're feeling {clause}."]
        complex_ += [
            f"It sounds like you're feeling {clause}, and it's been building.",
            f"It sounds like you're feeling {clause}.",
        ]
    else:
        simple += [f"So {clause}.", f"You're saying {clause}."]
        if clause.startswith("you"):
            simple.insert(1, f"{lang.upper_first(clause)}.")
        if act in ACTION_ACTS:
            complex_ += [
                f"It sounds like {clause}, and that feels right to you.",
                f"It sounds as if {clause}, and you've thought it through.",
                f"It sounds like {clause}.",
            ]
        else:
            if feeling:
                complex_ += [
                    f"It sounds like {clause}, and that's left you feeling {feeling}.",
                    f"You sound {feeling}: {clause}.",
                    f"No wonder you feel {feeling}, when {clause}.",
                ]
            complex_ += [
                f"It sounds as if {clause}, and that matters to you.",
                f"It sounds like {clause}, and it weighs on you.",
                f"It sounds like {clause}.",
            ]
    turn = style % 3
    rotated_c = complex_[turn % len(complex_) :] + complex_[: turn % len(complex_)]
    rotated_s = simple[turn % len(simple) :] + simple[: turn % len(simple)]
    cs = [Reflection(t, True, clause) for t in rotated_c]
    ss = [Reflection(t, False, clause) for t in rotated_s]
    return [*ss, *cs] if turn == 2 else [*cs, *ss]


def summary_text(ctx: Context, mem: Memory) -> list[str]:
    """Candidate summaries of what was said since the last summary (at most three pieces)."""
    mentee = [
        t
        for t in ctx.history
        if t.speaker == "mentee" and t.index > mem.last_summary and t.mentee is not None
    ]
    telling = [
        t for t in mentee if t.mentee and (t.mentee.units or t.mentee.goals or t.mentee.options)
    ]
    pool = (telling or mentee)[-3:]
    pieces: list[str] = []
    for t in pool:
        clause = lang.key_clause(t.text, pieces)
        if clause and t.mentee is not None and t.mentee.options:
            clause = lang.gerund_option(clause) or clause
        if clause:
            pieces.append(lang.shorten(clause, 12))
    if not pieces:
        return []
    groups = [pieces, pieces[-2:], pieces[:2], *([p] for p in reversed(pieces))]
    out: list[str] = []
    for group in groups:
        joined = lang.join_items(group)
        out += [
            f"So, to sum up: {joined}.",
            f"Let me check I've understood: {joined}.",
        ]
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- the decision


def _risk_level(scenario: ScenarioSpec, cue_id: str) -> str:
    return next((c.level for c in scenario.risk_cues if c.id == cue_id), "possible")


def _services(scenario: ScenarioSpec, level: str) -> list[str]:
    doctor = scenario.persona.profession.value in ("doctor", "medical_student")
    out = ["your GP" + (" today" if level == "high" else "")]
    out.append("NHS Practitioner Health" if doctor else "occupational health")
    return out


def opening(ctx: Context, mem: Memory) -> Plan | None:
    """Contract briefly, then the stage's opening question."""
    name = ctx.scenario.persona.name.split()
    first = name[1] if name[0].rstrip(".") in ("Dr", "Mr", "Mrs", "Ms", "Miss", "Prof") else name[0]
    contract = (
        f"Thanks for coming, {first}. We have about forty minutes, and what we say stays between "
        "us; the one exception would be if I were worried about your safety."
    )
    questions = [
        q
        for q in ctx.engine.steps[ctx.stage].questions
        if code_turn(q).stage_intent in ("goal", "story")
    ]
    want = Want(question=True, structuring=True, intents=frozenset({"goal", "story", "contract"}))
    found = first_fit((f"{contract} {q}" for q in questions), want, ctx)
    if found is None:
        return None
    text, coded = found
    task = "goal" if coded.stage_intent == "goal" else "listen"
    mem.task_asks[task] += 1
    mem.visit_asks[task] += 1
    mem.asked.append(text)
    mem.questions += 1
    return Plan(text, (("contract", WHY["contract"]), (task, WHY[task])), coded)


def _pending_risk(ctx: Context, mem: Memory) -> str | None:
    note = ctx.history[-1].mentee if ctx.history else None
    if note is None or note.risk_cue is None:
        return None
    cue = note.risk_cue
    if note.act != "explore_risk" and cue not in mem.explored:
        return cue
    return None


def _cue_words(scenario: ScenarioSpec, cue_id: str, text: str) -> str:
    """The words of the reply that showed the cue (its last two sentences if not found)."""
    for cue in scenario.risk_cues:
        if cue.id == cue_id:
            for line in cue.lines:
                if line in text:
                    return line
    return " ".join(lang.sentences(text)[-2:])


def explore_risk(ctx: Context, mem: Memory, cue: str) -> Plan | None:
    """A reflection of the cue in their words, then a gentle (or, for a high cue, direct) question."""
    level = _risk_level(ctx.scenario, cue)
    text = ctx.last_text or ""
    clause = lang.key_clause(_cue_words(ctx.scenario, cue, text), []) or "things feel very dark"
    leads = [
        f"That sounds really frightening: {clause}.",
        f"It sounds like {clause}, and that's frightening.",
        f"It sounds like {clause}.",
    ]
    if level == "high":
        asks = [
            "When you say that, I want to ask you directly: are you having thoughts of ending "
            "your life?",
            "I want to ask you directly: are you having thoughts of suicide?",
        ]
        want = Want(reflect=True, question=True, closed_ok=True, intents=None)
        notes: tuple[tuple[str, str], ...] = (
            ("explore_risk", WHY["explore_risk"]),
            ("direct_risk", WHY["direct_risk"]),
        )
    else:
        asks = [
            "How are you with that now?",
            "What was that like for you?",
            "Tell me more about that.",
        ]
        want = Want(reflect=True, question=True, intents=TASK_INTENTS["listen"])
        notes = (("explore_risk", WHY["explore_risk"]),)
    found = first_fit((f"{lead} {ask}" for lead in leads for ask in asks), want, ctx)
    if found is None:
        return None
    mem.explored.add(cue)
    mem.reflections += 1
    mem.questions += 1
    return Plan(found[0], notes, found[1])


def signpost(ctx: Context, mem: Memory, cue: str) -> Plan | None:
    """Thank them, and signpost warmly to support beyond mentoring."""
    level = _risk_level(ctx.scenario, cue)
    services = _services(ctx.scenario, level)
    where = lang.join_items(services)
    if level == "high":
        lines = [
            "Thank you for telling me; that took courage, and I'm glad you did. This is more than "
            f"mentoring can hold on its own: would you be willing to speak to {where}? And if it "
            "gets worse before then, Samaritans are there on 116 123, day or night, or 999 if "
            "you are in danger.",
        ]
        services.append("Samaritans (116 123)")
    else:
        lines = [
            "Thank you for telling me that; it matters. I'd like you to have proper support with "
            f"it: would you consider speaking to {where} about it?",
            f"Thank you for telling me. Would you consider speaking to {where} about it?",
        ]
    found = first_fit(lines, Want(signpost=True, question=None), ctx)
    if found is None:
        return None
    mem.signposted.add(cue)
    why = WHY["signpost"].format(services=lang.join_items(services))
    return Plan(found[0], (("signpost", why),), found[1])


def hand_back(ctx: Context, mem: Memory) -> Plan | None:
    """Reflect the wish for an answer, and hand the question back."""
    refl = reflections(ctx, mem)
    leads = [
        "You'd like to hear what others do.",
        "You're wondering what someone else would do.",
        *(r.text for r in refl),
    ]
    found = None
    for lead in leads:
        found = first_fit(
            (f"{lead} {q}" for q in FALLBACK_QUESTIONS["handback"]),
            Want(reflect=True, question=True, intents=TASK_INTENTS["handback"]),
            ctx,
        )
        if found:
            break
    if found is None:
        return None
    mem.reflections += 1
    mem.questions += 1
    return Plan(found[0], (("handback", WHY["handback"]),), found[1])


def task_done(task: str, p: Progress, mem: Memory, voiced_goal: bool = False) -> bool:
    """Whether a task of the current stage visit is done (`voiced_goal`: a goal was voiced in
    this visit)."""
    asked = mem.visit_asks[task]
    if task == "contract":
        return mem.task_asks["contract"] > 0 or mem.turns > 0
    if task == "listen":
        if mem.listen_turns >= LISTEN_MAX:
            return True
        if p.depth < 3:
            return False
        since_core = mem.listen_turns - (mem.core_turn or 0)
        return len(p.units) >= UNITS_ENOUGH or mem.quiet >= 2 or since_core >= CORE_EXTRA
    if task == "goal":
        return (asked >= 1 and (voiced_goal or not p.story_heard)) or asked >= 2
    if task == "scale":
        return p.scale_given or asked >= 2
    if task == "resources":
        return len(p.options) >= 2 or asked >= 3
    if task == "options":
        dry = p.note is not None and p.note.act == "hedge" and asked >= 1
        return len(p.options) >= 3 or (len(p.options) >= 2 and dry) or asked >= 4
    if task == "choice":
        return p.chosen or p.committed or asked >= 1
    if task == "plan":
        return p.committed or asked >= 2
    if task == "confidence":
        return p.confidence_given or asked >= 1
    return asked >= 1


def next_task(ctx: Context, p: Progress, mem: Memory) -> str | None:
    """The first task of the current stage not done yet."""
    since = ctx.state.visits[-1].turn if ctx.state.visits else 0
    voiced = any(t.mentee is not None and t.mentee.goals for t in ctx.history if t.index >= since)
    return next(
        (t for t in stage_tasks(ctx.engine, ctx.stage) if not task_done(t, p, mem, voiced)),
        None,
    )


def _question_pool(ctx: Context, task: str, p: Progress, mem: Memory, stage: str) -> list[str]:
    canonical = [
        q
        for q in ctx.engine.steps[stage].questions
        if code_turn(q).stage_intent in TASK_INTENTS.get(task, frozenset())
    ]
    pool = [*canonical, *FALLBACK_QUESTIONS.get(task, ())]
    if task == "listen" and p.last is not None and p.note is not None:
        topics = [t for u in _units(ctx.scenario) if u.id in p.note.units for t in u.topics]
        topic = lang.topic_phrase(p.last.text, topics)
        if topic:
            pool = [
                f"Tell me more about {topic}.",
                f"What has been the hardest part of {topic}?",
                *pool,
            ]
    if task == "options" and mem.task_asks["options"] + mem.task_asks["resources"] > 0:
        pool = [q for q in pool if "else" in q or "other" in q] + pool
    fresh = [q for q in pool if q not in mem.asked]
    return [*dict.fromkeys([*fresh, *pool])]


def _units(scenario: ScenarioSpec) -> list[Unit]:
    layers = scenario.layers
    return [*layers.surface, *layers.deeper, *layers.core]


def _note_for(task: str, mem: Memory) -> tuple[str, str]:
    if task == "options" and mem.task_asks["options"] + mem.task_asks["resources"] > 0:
        return ("what_else", WHY["what_else"])
    return (task, WHY[task])


def _reflection_note(r: Reflection) -> tuple[str, str]:
    kind = "complex_reflection" if r.complex else "simple_reflection"
    return (kind, WHY[kind])


def _affirmation(ctx: Context, mem: Memory) -> str:
    if affirms(ctx.engine, ctx.stage) and not mem.affirmed:
        return "You've been honest with yourself today, and you've found your own ideas. "
    return ""


def work_task(ctx: Context, p: Progress, mem: Memory, task: str) -> Plan | None:
    """A reflection alone, or a reflection and the task's question, keeping about two
    reflections per question."""
    refl = reflections(ctx, mem)
    rich = p.note is not None and p.note.act not in WEAK_ACTS and p.note.act != "review"
    ask = (mem.reflections + 1) >= RATIO * (mem.questions + 1) or not refl or not rich
    if task == "listen" and p.note is not None and p.note.act in ("short_answer", "hedge"):
        ask = True
    if task != "listen" and mem.visit_asks[task] == 0 and _remaining_turns(ctx, mem) < 12:
        ask = True
    if not ask:
        for r in refl:
            found = first_fit([r.text], Want(reflect=True), ctx)
            if found:
                mem.reflections += 1
                mem.said_back.append(r.clause)
                return Plan(found[0], (_reflection_note(r),), found[1])
    affirm = _affirmation(ctx, mem)
    leads = [r for r in refl] or [Reflection("", False, "")]
    pool = _question_pool(ctx, task, p, mem, ctx.stage)
    want = Want(reflect=bool(refl), question=True, intents=TASK_INTENTS.get(task))
    for r in leads:
        found = first_fit((f"{affirm}{r.text} {q}".strip() for q in pool), want, ctx)
        if found is None and affirm:
            found = first_fit((f"{r.text} {q}".strip() for q in pool), want, ctx)
        if found is None:
            continue
        text, coded = found
        notes: list[tuple[str, str]] = []
        if affirm and text.startswith(affirm.strip()):
            mem.affirmed = True
            notes.append(("affirmation", WHY["affirmation"]))
        if r.text:
            notes.append(_reflection_note(r))
            mem.reflections += 1
            mem.said_back.append(r.clause)
        notes.append(_note_for(task, mem))
        mem.questions += 1
        mem.task_asks[task] += 1
        mem.visit_asks[task] += 1
        mem.asked.append(text[len(r.text) :].strip() if r.text else text)
        mem.asked.append(next(q for q in pool if text.endswith(q)))
        return Plan(text, tuple(notes), coded)
    return None


def _remaining_turns(ctx: Context, mem: Memory) -> int:
    return ctx.budget - mem.turns


def next_stage(ctx: Context, p: Progress, mem: Memory) -> tuple[str, str] | None:
    """Where to go when the current stage is done: (stage, first task), or None at the end.

    Back to an earlier goal stage when the story is heard and no goal has been voiced yet;
    otherwise forward, to the stage after the furthest one visited.
    """
    engine = ctx.engine
    order = engine.order
    here = order[ctx.stage]
    goal_stages = [s for s in engine.stages_for(Intent.GOAL) if order[s] < here]
    later_goal = [s for s in engine.stages_for(Intent.GOAL) if order[s] > here]
    if p.story_heard and not p.goals and goal_stages and not later_goal:
        return goal_stages[-1], "goal"
    furthest = max(order[v.stage] for v in ctx.state.visits)
    for name in engine.stage_ids[furthest + 1 :]:
        tasks = [t for t in stage_tasks(engine, name) if t not in ("contract",)]
        fresh = Memory()
        pending = [t for t in tasks if not task_done(t, p, fresh)]
        if pending:
            return name, pending[0]
        if tasks:
            return name, tasks[0]
    return None


def move_on(ctx: Context, p: Progress, mem: Memory, dest: str, task: str) -> Plan | None:
    """Summary, structuring statement and the next stage's first question, in one turn (a
    reflection instead of the summary, or the structuring statement alone, where no summary
    fits)."""
    pool = _question_pool(ctx, task, p, mem, dest)
    extra = [*ctx.engine.steps[dest].questions]
    for other in stage_tasks(ctx.engine, dest):
        extra += FALLBACK_QUESTIONS.get(other, ())
    pool += [q for q in extra if q not in pool and q not in mem.asked]
    back = ctx.engine.order[dest] < ctx.engine.order[ctx.stage]
    structuring = list(STRUCTURING.get(task, ("Shall we move on?",)))
    if back:
        structuring = ["Shall we go back to what you want from this?", *structuring]
    leads: list[tuple[str, str | None]] = [(s, "summary") for s in summary_text(ctx, mem)]
    leads += [(r.text, "reflection") for r in reflections(ctx, mem)]
    leads.append(("", None))
    for lead, kind in leads:
        want = Want(
            reflect=kind is not None,
            summary=kind == "summary",
            question=True,
            structuring=True,
            dest=dest,
        )
        for st in structuring:
            found = first_fit((f"{lead} {st} {q}".strip() for q in pool), want, ctx)
            if found is None:
                continue
            text, coded = found
            title = ctx.engine.title(dest)
            notes: list[tuple[str, str]] = []
            if kind == "summary":
                mem.last_summary = ctx.history[-1].index if ctx.history else 0
                notes.append(("summary", WHY["summary"]))
            elif kind == "reflection":
                notes.append(("complex_reflection", WHY["complex_reflection"]))
            if kind is not None:
                mem.reflections += 1
            mem.questions += 1
            move_note = ("back", WHY["back"]) if back else ("structuring", WHY["structuring"])
            notes += [(move_note[0], move_note[1].format(stage=title)), _note_for(task, mem)]
            mem.task_asks[task] += 1
            mem.asked.append(next(q for q in pool if text.endswith(q)))
            mem.pending_first = task
            return Plan(text, tuple(notes), coded)
    return None


def decide(ctx: Context, mem: Memory) -> Plan | None:
    """The next mentor turn, or None when the conversation is complete."""
    _track_visit(ctx, mem)
    if mem.turns == 0:
        return opening(ctx, mem)
    p = progress(ctx.history)
    cue = _pending_risk(ctx, mem)
    if cue is not None:
        plan = explore_risk(ctx, mem, cue)
        if plan is not None:
            return plan
    note = p.note
    if note is not None and note.act == "explore_risk" and note.risk_cue not in mem.signposted:
        plan = signpost(ctx, mem, note.risk_cue or "")
        if plan is not None:
            return plan
    if note is not None and note.bait and mem.handled_bait != ctx.history[-1].index:
        mem.handled_bait = ctx.history[-1].index
        plan = hand_back(ctx, mem)
        if plan is not None:
            return plan
    _track_listening(ctx, p, mem)
    task = next_task(ctx, p, mem)
    if task is None or (task == "listen" and _remaining_turns(ctx, mem) < _needed_after(ctx)):
        if ctx.stage == ctx.engine.final_stage() and task is None:
            return None
        target = next_stage(ctx, p, mem)
        if target is not None:
            plan = move_on(ctx, p, mem, *target)
            if plan is not None:
                return plan
        if task is None:
            task = "listen"
    plan = work_task(ctx, p, mem, task) or bare_question(ctx, p, mem, task)
    if plan is None and task != "listen":
        plan = work_task(ctx, p, mem, "listen") or bare_question(ctx, p, mem, "listen")
    if plan is None:
        plan = last_resort(ctx, mem)
    if task == "listen" and plan is not None:
        mem.listen_turns += 1
    return plan


def last_resort(ctx: Context, mem: Memory) -> Plan | None:
    """A reflection on its own, else an encourager ("Go on.")."""
    for r in reflections(ctx, mem):
        found = first_fit([r.text], Want(reflect=True), ctx)
        if found:
            mem.reflections += 1
            mem.said_back.append(r.clause)
            return Plan(found[0], (_reflection_note(r),), found[1])
    found = first_fit(["Go on.", "Say more.", "Tell me more."], Want(question=None), ctx)
    if found is None:
        return None
    return Plan(found[0], (("listen", WHY["listen"]),), found[1])


def bare_question(ctx: Context, p: Progress, mem: Memory, task: str) -> Plan | None:
    """The task's question on its own (when no reflection of the reply fits)."""
    pool = _question_pool(ctx, task, p, mem, ctx.stage)
    found = first_fit(pool, Want(question=True, intents=TASK_INTENTS.get(task)), ctx)
    if found is None:
        return None
    mem.questions += 1
    mem.task_asks[task] += 1
    mem.visit_asks[task] += 1
    mem.asked.append(found[0])
    return Plan(found[0], (_note_for(task, mem),), found[1])


def _needed_after(ctx: Context) -> int:
    """Turns to keep for the stages after this one (about three each, four for action stages)."""
    here = ctx.engine.order[ctx.stage]
    later = ctx.engine.stage_ids[here + 1 :]
    return sum(4 if ctx.engine.steps[s].action else 3 for s in later) + 2


def _track_visit(ctx: Context, mem: Memory) -> None:
    index = len(ctx.state.visits) - 1
    if index != mem.visit_index:
        mem.visit_index = index
        mem.visit_stage = ctx.stage
        first = mem.pending_first
        mem.visit_asks = Counter({first: 1} if first else {})
        mem.pending_first = None


def _track_listening(ctx: Context, p: Progress, mem: Memory) -> None:
    note = p.note
    if note is None:
        return
    if p.depth >= 3 and mem.core_turn is None:
        mem.core_turn = mem.listen_turns
    mem.quiet = 0 if note.units else mem.quiet + 1
