"""The three most useful pieces of feedback, each pointing at a turn.

A missed risk cue always comes first. The rest are ranked by the points they cost: each candidate
belongs to a score component and weighs weight x (100 - points) of it; the top ones are kept, one
per turn. When fewer than three things need work, strengths fill the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Literal

from server.coding.labels import Code
from server.frameworks.engine import FrameworkEngine, FrameworkState
from server.scenarios.spec import ScenarioSpec
from server.scoring.facts import MentorTurn
from server.scoring.inference import units
from server.scoring.models import (
    Component,
    Feedback,
    FrameworkReport,
    MicroSkills,
    OutcomeReport,
    RiskStatus,
)
from server.scoring.phrasing import clause, quote, reflect
from server.scoring.timeline import before_action, stage_before
from server.transcript import Turn

SAFETY = 10_000.0
Kind = Literal["safety", "improve", "strength"]
OPEN_FALLBACK = "What has that been like for you?"
COMMIT_QUESTION = "What will you do, and by when?"


@dataclass(frozen=True)
class Context:
    turns: Sequence[Turn]
    mentor: Sequence[MentorTurn]  # the mentor turns of `turns`, read once (`read_mentor`)
    micro: MicroSkills
    parts: dict[str, Component]
    engine: FrameworkEngine | None
    state: FrameworkState | None
    framework: FrameworkReport | None
    scenario: ScenarioSpec | None
    outcome: OutcomeReport | None

    def lost(self, *names: str) -> float:
        """Weighted points lost on the named components."""
        return sum(p.weight * (100 - p.points) for n in names if (p := self.parts.get(n)))

    def turn(self, index: int) -> Turn | None:
        return next((t for t in self.turns if t.index == index), None)

    def first_heard(self) -> int | None:
        """The index of the mentee's first turn; None if they have not spoken."""
        return min((t.index for t in self.turns if t.speaker == "mentee"), default=None)

    def mentee_before(self, index: int) -> Turn | None:
        return next(
            (t for t in reversed(self.turns) if t.index < index and t.speaker == "mentee"), None
        )

    def mentor_after(self, index: int) -> Turn | None:
        return next((t for t in self.turns if t.index > index and t.speaker == "mentor"), None)

    def stage_question(self, index: int, stage: str | None = None) -> str:
        if self.engine is None or self.state is None:
            return OPEN_FALLBACK
        step = self.engine.steps[stage or stage_before(self.state, index)]
        return step.questions[0]

    def reflection_for(self, index: int) -> str:
        before = self.mentee_before(index)
        return reflect(before.text) if before else OPEN_FALLBACK


@dataclass(frozen=True)
class Candidate:
    """An item worth `priority`; `alternatives` point at other turns showing the same thing."""

    priority: float
    item: Draft
    alternatives: tuple[Draft, ...] = ()
    rank: int = 9  # breaks ties: the lower, the more useful

    def options(self) -> tuple[Draft, ...]:
        return (self.item, *self.alternatives)


@dataclass(frozen=True, slots=True)
class Draft:
    """A feedback item before it is chosen. Its "could say" may be a function, called only for
    the few items a report shows (every question of a session may offer a reflection)."""

    kind: Kind
    title: str
    detail: str
    turn: Turn | None
    could: str | Callable[[], str] | None

    @property
    def at(self) -> int | None:
        return self.turn.index if self.turn else None

    def done(self) -> Feedback:
        return Feedback(
            kind=self.kind,
            title=self.title,
            detail=self.detail,
            turn=self.at,
            said=quote(self.turn.text) if self.turn else None,
            could_say=self.could() if callable(self.could) else self.could,
        )


def _coded(ctx: Context, code: Code) -> list[Turn]:
    """The mentor turns carrying `code`."""
    return [m.turn for m in ctx.mentor if m.has(code)]


def _last_mentor(ctx: Context) -> Turn | None:
    return ctx.mentor[-1].turn if ctx.mentor else None


def _risk_item(ctx: Context, risk: RiskStatus) -> Candidate | None:
    if risk.status == "signposted":
        return None
    cue_turn = ctx.turn(risk.turn)
    reply = ctx.mentor_after(risk.turn)
    to = ctx.scenario.signposting.to if ctx.scenario else []
    named = [f"your {t}" if t in ("GP", "supervisor") else t for t in to[:2]]
    where = " or ".join(named) if named else "your GP or occupational health"
    could = (
        f"That sounds frightening, and I'm glad you told me. Can you say more about it? "
        f"It might really help to talk to {where} about this — would you consider that?"
    )
    said = f'"{quote(cue_turn.text, 120)}"' if cue_turn else "a sign of risk"
    if risk.status == "missed":
        return Candidate(
            SAFETY,
            Draft(
                "safety",
                "A risk cue was missed",
                f"At turn {risk.turn} the mentee said {said}. That needed noticing, gently exploring "
                f"and signposting to specialist support; it went unanswered.",
                reply,
                could,
            ),
        )
    needed = (ctx.scenario is not None and ctx.scenario.signposting.needed) or risk.level == "high"
    title = "A risk cue was explored but not signposted"
    detail = (
        f"You picked up what the mentee said at turn {risk.turn} ({said}), but never pointed "
        f"to specialist support."
    )
    priority = SAFETY / 2 if needed else ctx.lost("risk_cue_answered")
    return Candidate(
        priority, Draft("safety" if needed else "improve", title, detail, reply, could)
    )


def _premature(ctx: Context) -> list[Candidate]:
    if ctx.engine is None or ctx.state is None:
        return []
    engine, state = ctx.engine, ctx.state
    early = [m for m in ctx.mentor if m.advice and before_action(engine, state, m.index)]
    if not early:
        return []
    action = engine.title(engine.first_action_stage() or "")

    def item(m: MentorTurn) -> Draft:
        c = m.coding
        could = (c.suggestion if c and c.suggestion else None) or ctx.stage_question(m.index)
        return Draft(
            "improve",
            "Advice before the story was heard",
            f"This came in {engine.title(stage_before(state, m.index))}, before {action}: "
            f"{len(early)} piece(s) of advice before the action stage. Ask for their ideas first.",
            m.turn,
            could,
        )

    items = [item(m) for m in early]
    return [Candidate(ctx.lost("premature_advice"), items[0], tuple(items[1:]), rank=0)]


def _directive(ctx: Context) -> list[Candidate]:
    items: list[Draft] = []
    for m in ctx.mentor:
        c = m.coding
        if c is None or not m.directive:
            continue
        roadblock = m.has(Code.ROADBLOCK)
        kind = ", ".join(c.details(Code.ROADBLOCK)) or "a roadblock" if roadblock else "advice"
        title = "A roadblock to listening" if roadblock else "Advice instead of their own ideas"
        items.append(
            Draft(
                "improve",
                title,
                f"{ctx.micro.directive_turns} of your {ctx.micro.substantive_turns} turns gave "
                f"advice without permission or a roadblock ({kind} here).",
                m.turn,
                c.suggestion or "What ideas have you had about it?",
            )
        )
    if not items:
        return []
    return [Candidate(ctx.lost("advice_roadblock_rate"), items[0], tuple(items[1:]), rank=2)]


def _options(ctx: Context) -> list[Candidate]:
    if ctx.outcome is None:
        return []
    mine = [o for o in ctx.outcome.options if o.proposed_by == "mentor" and o.turn is not None]
    if not mine:
        return []
    first = mine[0]
    turn = ctx.turn(first.turn) if first.turn is not None else None
    chosen = ctx.outcome.chosen_action
    extra = " and the action they chose was yours" if chosen.by == "mentor" else ""
    return [
        Candidate(
            ctx.lost("percent_options_by_mentee", "chosen_by_mentee"),
            Draft(
                "improve",
                "You proposed the way forward",
                f"You named {len(mine)} of the options before the mentee did{extra}. "
                "Options they find themselves are the ones they act on.",
                turn,
                "What could you do? ... What else?",
            ),
        )
    ]


def _listening(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    questions = [q for q in ctx.mentor if q.questions and not q.reflective]
    m = ctx.micro
    heard = ctx.first_heard()  # a question asked after it can follow the mentee's story
    after_story = [q.turn for q in questions if heard is not None and q.index > heard]
    if after_story and ctx.lost("reflection_to_question"):
        items = [
            Draft(
                "improve",
                "More reflections, fewer questions",
                f"{m.reflections} reflection(s) to {m.questions} question(s). Say back what you heard "
                "before asking the next question.",
                t,
                partial(ctx.reflection_for, t.index),
            )
            for t in after_story
        ]
        out.append(Candidate(ctx.lost("reflection_to_question"), items[0], tuple(items[1:]), 3))
    closed = [q.turn for q in questions if not q.has(Code.OPEN_QUESTION)]
    if closed and ctx.lost("percent_open_questions"):
        items = [
            Draft(
                "improve",
                "Open the question",
                f"{m.open_questions} of {m.questions} questions were open. A closed question gets a "
                "short answer; an open one gets the story.",
                t,
                ctx.stage_question(t.index),
            )
            for t in closed
        ]
        out.append(Candidate(ctx.lost("percent_open_questions"), items[0], tuple(items[1:]), 4))
    simple = [
        r.turn
        for r in ctx.mentor
        if r.has(Code.REFLECTION) and not r.complex_reflection and not r.has(Code.SUMMARY)
    ]
    if simple and ctx.lost("percent_complex_reflections"):
        t = simple[0]

        def could() -> str:
            return ctx.reflection_for(t.index).rstrip(".…") + ", and that seems to weigh on you."

        out.append(
            Candidate(
                ctx.lost("percent_complex_reflections"),
                Draft(
                    "improve",
                    "Reflect the meaning, not only the words",
                    f"{ctx.micro.complex_reflections} of {ctx.micro.reflections} reflections were "
                    "complex. Add the feeling or meaning you hear under their words.",
                    t,
                    could,
                ),
            )
        )
    return out


def _stacked_and_talk(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for m in ctx.mentor:
        asks = m.questions
        if len(asks) >= 2 and ctx.lost("percent_stacked_questions"):
            one = next((h for h in asks if h.code is Code.OPEN_QUESTION), asks[0])
            out.append(
                Candidate(
                    ctx.lost("percent_stacked_questions"),
                    Draft(
                        "improve",
                        "One question at a time",
                        f"{ctx.micro.stacked_questions} turn(s) asked several questions at once; the mentee "
                        "can only answer one.",
                        m.turn,
                        one.evidence,
                    ),
                )
            )
            break
    if ctx.lost("mentor_talk_share") and ctx.mentor:
        t = max((m.turn for m in ctx.mentor), key=lambda x: (len(x.text.split()), -x.index))
        share = round(
            100 * ctx.micro.mentor_words / max(1, ctx.micro.mentor_words + ctx.micro.mentee_words)
        )
        out.append(
            Candidate(
                ctx.lost("mentor_talk_share"),
                Draft(
                    "improve",
                    "Let them do the talking",
                    f"You spoke {share}% of the words; this was your longest turn.",
                    t,
                    partial(ctx.reflection_for, t.index),
                ),
            )
        )
    return out


def _framework(ctx: Context) -> list[Candidate]:
    fw, engine = ctx.framework, ctx.engine
    if fw is None or engine is None:
        return []
    out: list[Candidate] = []
    last = _last_mentor(ctx)
    if not fw.reached_final and last is not None:
        here = stage_before(ctx.state, last.index + 1) if ctx.state else fw.final_stage
        nxt = engine.next_stage(here) or fw.final_stage
        out.append(
            Candidate(
                ctx.lost("reached_final_stage"),
                Draft(
                    "improve",
                    f"The conversation stopped short of {engine.title(fw.final_stage)}",
                    f"It ended in {engine.title(here)}.",
                    last,
                    ctx.stage_question(last.index, nxt),
                ),
            )
        )
    for change in fw.changes:
        if change.via == "skip" and fw.skipped:
            out.append(
                Candidate(
                    ctx.lost("stages_skipped"),
                    Draft(
                        "improve",
                        "A stage was skipped",
                        "Skipped: " + ", ".join(engine.title(s) for s in fw.skipped) + ".",
                        ctx.turn(change.turn),
                        ctx.stage_question(change.turn, fw.skipped[0]),
                    ),
                )
            )
            break
    for change in fw.changes:
        if not change.summarised:
            prev = ctx.mentee_before(change.turn)
            dest = engine.title(change.dest)
            could = partial(_check_and_move, prev.text, dest) if prev else None
            out.append(
                Candidate(
                    ctx.lost("percent_changes_summarised"),
                    Draft(
                        "improve",
                        "Summarise before moving on",
                        f"You moved to {dest} without a summary.",
                        ctx.turn(change.turn),
                        could,
                    ),
                )
            )
            break
    for refusal in fw.refused[:1]:
        if refusal.guard is not None:
            out.append(
                Candidate(
                    30.0,
                    Draft(
                        "improve",
                        f"Too early for {engine.title(refusal.dest)}",
                        refusal.reason,
                        ctx.turn(refusal.turn),
                        ctx.stage_question(refusal.turn, refusal.source),
                    ),
                )
            )
    return out


def _check_and_move(said: str, dest: str) -> str:
    """A short summary of what the mentee said, then the move to the next stage."""
    return f"Let me check I've got it: {clause(said, 12).rstrip('…')}. Shall we look at {dest}?"


def _outcome(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    if ctx.outcome is None or ctx.scenario is None:
        return out
    missed = [u for u in ctx.outcome.ledger if not u.uncovered]
    if missed and ctx.lost("percent_units_uncovered"):
        unit = missed[-1]  # the deepest layer first
        told = [u.turn for u in ctx.outcome.ledger if u.turn is not None]
        since = max(told) if told else -1
        after = next(  # the mentor's next turn, unless it was busy signposting
            (m.turn for m in ctx.mentor if m.index > since and not m.has(Code.SIGNPOSTING)),
            ctx.mentor_after(since),
        )
        opened = unit.opened_by or "an open question"
        example: str | Callable[[], str] = (
            partial(ctx.reflection_for, after.index)
            if after and "reflect" in opened
            else "What else is going on for you?"
        )
        layer = {u.id: layer for layer, u in units(ctx.scenario)}[unit.id]
        out.append(
            Candidate(
                ctx.lost("percent_units_uncovered"),
                Draft(
                    "improve",
                    f"Part of the story stayed hidden ({layer})",
                    f"{len(missed)} of {len(ctx.outcome.ledger)} parts of the mentee's story never came "
                    f"out, among them '{unit.id.replace('-', ' ')}', which opens with {opened}.",
                    after,
                    example,
                ),
            )
        )
    last = _last_mentor(ctx)
    if not ctx.outcome.commitment.reached and last is not None:
        out.append(
            Candidate(
                ctx.lost("commitment_reached"),
                Draft(
                    "improve",
                    "No specific, dated commitment",
                    "The session ended without the mentee naming a step and a date of their own.",
                    last,
                    COMMIT_QUESTION,
                ),
            )
        )
    return out


def _strengths(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for m in ctx.mentor:
        if m.complex:
            out.append(
                Candidate(
                    -1.0,
                    Draft(
                        "strength",
                        "A reflection that went beyond the words",
                        "Keep doing this: it shows you heard the meaning, and it earns the next layer.",
                        m.turn,
                        None,
                    ),
                )
            )
            break
    if ctx.outcome and ctx.outcome.chosen_action.by == "mentee":
        at = ctx.outcome.commitment.turn
        out.append(
            Candidate(
                -2.0,
                Draft(
                    "strength",
                    "The way forward was the mentee's own",
                    "They chose and committed to an action they found themselves.",
                    ctx.turn(at) if at is not None else None,
                    None,
                ),
            )
        )
    for t in _coded(ctx, Code.SIGNPOSTING)[:1]:
        out.append(
            Candidate(
                -3.0,
                Draft(
                    "strength",
                    "Signposted to specialist support",
                    "Pointing to the right help is part of the mentor's job.",
                    t,
                    None,
                ),
            )
        )
    for t in _coded(ctx, Code.OPEN_QUESTION)[:1]:
        out.append(
            Candidate(
                -4.0,
                Draft(
                    "strength",
                    "An open question that invited the story",
                    "Ask more like this.",
                    t,
                    None,
                ),
            )
        )
    return out


def feedback(ctx: Context, limit: int = 3) -> list[Feedback]:
    """The most useful items: safety first, then by points lost, then strengths."""
    risks = ctx.outcome.risk if ctx.outcome else []
    found = [c for r in risks if (c := _risk_item(ctx, r)) is not None]
    for make in (
        _premature,
        _options,
        _directive,
        _listening,
        _stacked_and_talk,
        _framework,
        _outcome,
    ):
        found.extend(c for c in make(ctx) if c.priority > 0)
    ranked = sorted(found, key=lambda c: (-c.priority, c.rank, _at(c.item), c.item.title))
    chosen: list[Feedback] = []
    used: set[int] = set()
    for cand in [*ranked, *_strengths(ctx)]:
        item = next((i for i in cand.options() if i.at is None or i.at not in used), None)
        if item is None:
            continue
        chosen.append(item.done())
        if item.at is not None:
            used.add(item.at)
        if len(chosen) == limit:
            break
    return chosen


def _at(item: Draft) -> int:
    return item.at if item.at is not None else 10**9
