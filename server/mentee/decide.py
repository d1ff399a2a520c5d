"""What the default mentee does with a mentor turn: a pure function of the scenario, its state,
the coded turn, the words and the framework stage. No words are chosen here (see `phraser`).

The rules, in brief (domain.md section 5):
- open questions and accurate reflections earn the next unit, on the topic asked about; trust and
  listening gate the layers (deeper, then core, scaled by `difficulty.guarded`);
- closed questions get short answers; a reflection that misses is corrected; a summary is
  confirmed and completed;
- advice and roadblocks cost trust, get "yes, but", compliance or withdrawal, and shut the deeper
  layers until the mentor has listened again;
- goals, own options and the commitment come when asked for in the right stage, after the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from random import Random
from typing import NamedTuple

from server.coding.labels import Code, CodedTurn
from server.mentee.fit import is_wh_question
from server.mentee.index import ScenarioIndex, index_of
from server.mentee.model import Act, Decision, MenteeState, Part, PartKind, StageContext, norm
from server.mentee.words import (
    FAMILY_OF,
    content_size,
    content_stems,
    overlap,
    stems_of,
    topic_score,
)
from server.scenarios.spec import ScenarioSpec, Unit

_ENCOURAGER = re.compile(
    r"^\s*(go on|tell me more|say more|carry on|keep going|and\b|mm+|mhm|uh-huh|i see|right)",
    re.IGNORECASE,
)
# A turn that is only a back-channel ("ok", "yeah", "and?"): an invitation to carry on.
_BACKCHANNEL = re.compile(
    r"^\s*((ok(ay)?|yeah|yes|yep|sure|right|mm+(-?hm+)?|mhm|uh-?huh|i see|and|go on|"
    r"really|oh|ah)[\s,.!?]*)+$",
    re.IGNORECASE,
)
# The mentor asking about themselves ("How would you like me to help?", "What do you think I'd
# say?"): not advice, and not a question about the story.
_ASKED_BACK = re.compile(
    r"\b(want|like|expect|need)\s+me\s+to\b|\bfrom me\b|"
    r"\bI\s*(should|could|can|'d|would|might|will)\s+(ask|say|tell|do|help|think)\b|"
    r"\bhow can I help\b",
    re.IGNORECASE,
)
_SCALE = re.compile(
    r"\bscale\b|\b(0|1|one|zero)\s*(to|-|and)\s*(10|ten)\b|\bout of (10|ten)\b", re.IGNORECASE
)
_MORE = re.compile(r"\b(else|other|another|more|further)\b", re.IGNORECASE)
_STORY_INTENTS = frozenset({None, "story", "feelings", "perspective", "leverage", "contract"})
_PLAN_INTENTS = frozenset({"choice", "plan", "commitment"})
_LATER_INTENTS = frozenset(
    {"goal", "options", "resources", "choice", "plan", "commitment", "support", "review"}
)
_FLUFF = frozenset({"sound", "seem", "hear", "say", "feel", "so", "what"})

# Trust moves (0..1 scale).
OPEN_GAIN = 0.04
REFLECTION_GAIN = 0.10
COMPLEX_GAIN = 0.12
SUMMARY_GAIN = 0.15
AFFIRM_GAIN = 0.06
CONTRACT_GAIN = 0.05
HANDBACK_GAIN = 0.05
MISS_COST = 0.02
CLOSED_COST = 0.02
ADVICE_COST = 0.12
ROADBLOCK_COST = 0.10
LATE_ADVICE_COST = 0.03
BAIT_ADVICE_COST = 0.04
SHUT_AFTER_DIRECTIVE = 2


@dataclass(frozen=True)
class Thresholds:
    """Trust and listening needed for the deeper and core layers."""

    deep_trust: float
    core_trust: float
    deep_earned: float
    core_earned: float


def thresholds(scenario: ScenarioSpec) -> Thresholds:
    """The gates for this scenario: higher and later the more guarded the mentee."""
    return _thresholds(scenario.difficulty.guarded, scenario.difficulty.trust)


@lru_cache(maxsize=256)
def _thresholds(g: float, start: float) -> Thresholds:
    deep = min(0.9, max(start, 0.3) + 0.05 + 0.15 * g)
    core = min(0.95, deep + 0.1 + 0.2 * g)
    return Thresholds(deep, core, 1.0 + (g >= 0.5), 2.0 + int(3 * g + 0.5))


class Move(NamedTuple):
    """The mentor turn, read from its codes (a named tuple: built on every turn, and a tuple is
    built at a fraction of a frozen dataclass's cost)."""

    open_q: bool
    closed_q: bool
    reflection: bool
    complex: bool
    summary: bool
    affirm: bool
    advice: bool
    roadblock: bool
    info: bool
    signpost: bool
    encourager: bool
    asked_back: bool = False
    backchannel: bool = False

    @property
    def directive(self) -> bool:
        return self.advice or self.roadblock

    @property
    def asks(self) -> bool:
        return self.open_q or self.encourager


def read_move(coded: CodedTurn, text: str) -> Move:
    """The flags the mentee reacts to: the codes, read with the words (a bare "ok" or "and?"
    invites them to carry on; "How would you like me to help?" is not advice)."""
    codes = {hit.code for hit in coded.codes} | {coded.primary}
    backchannel = bool(_BACKCHANNEL.match(text))
    asked_back = text.rstrip().endswith("?") and bool(_ASKED_BACK.search(text))
    if backchannel:
        codes = set()
    elif asked_back:
        codes -= {Code.ADVICE, Code.ROADBLOCK, Code.INFORMATION, Code.CLOSED_QUESTION}
        codes.add(Code.OPEN_QUESTION)
    return Move(
        open_q=Code.OPEN_QUESTION in codes,
        closed_q=Code.CLOSED_QUESTION in codes,
        reflection=Code.REFLECTION in codes,
        complex="complex" in coded.details(Code.REFLECTION),
        summary=Code.SUMMARY in codes,
        affirm=Code.AFFIRMATION in codes,
        advice=Code.ADVICE in codes,
        roadblock=Code.ROADBLOCK in codes,
        info=Code.INFORMATION in codes,
        signpost=Code.SIGNPOSTING in codes,
        encourager=backchannel
        or (bool(_ENCOURAGER.match(text)) and Code.CLOSED_QUESTION not in codes),
        asked_back=asked_back,
        backchannel=backchannel,
    )


# ---------------------------------------------------------------- the scenario's units


def unit_depth(scenario: ScenarioSpec, unit_id: str) -> int:
    """The layer of a unit (1 surface, 2 deeper, 3 core)."""
    return index_of(scenario).depth[unit_id]


def allowed_depth(
    scenario: ScenarioSpec, state: MenteeState, trust: float, earned: float, shut: int
) -> int:
    """The deepest layer the mentee would open up now."""
    gate = thresholds(scenario)
    depth = index_of(scenario).depth
    reached = {depth[u] for u in state.disclosed}
    if shut > 0 or 1 not in reached or trust < gate.deep_trust or earned < gate.deep_earned:
        return 1
    if 2 not in reached or trust < gate.core_trust or earned < gate.core_earned:
        return 2
    return 3


def pick_unit(
    scenario: ScenarioSpec, state: MenteeState, text: str, allowed: int, deepen: bool
) -> str | None:
    """The next unit to disclose: the topic asked about, else the next layer (or the next unit
    of the shallowest unfinished layer)."""
    index = index_of(scenario)
    left = [(d, u) for d, u in index.units if d <= allowed and u.id not in state.disclosed]
    if not left:
        return None
    asked = content_stems(text)
    scored = [(_asked_about(index, u, asked), d, i, u) for i, (d, u) in enumerate(left)]
    best = max(s for s, _, _, _ in scored)
    if best > 0:
        hits = [x for x in scored if x[0] == best]
        return min(hits, key=lambda x: (-x[1] if deepen else x[1], x[2]))[3].id
    if deepen:
        target = min(allowed, state.depth + 1)
        for d, u in left:
            if d == target:
                return u.id
    return left[0][1].id


def _asked_about(index: ScenarioIndex, unit: Unit, asked: set[str]) -> int:
    """How many of the unit's topics were asked about: none, at a glance, where no word of any
    of them was (the usual case), else each topic is checked."""
    if asked.isdisjoint(index.topic_stems[unit.id]):
        return 0
    return topic_score(unit.topics, asked)


def pick_feeling(scenario: ScenarioSpec, state: MenteeState, text: str) -> str | None:
    """A feeling to name: one asked about, else the next not yet named; None when all lines used."""
    used = set(state.used_lines)
    fresh = [f for f in scenario.feelings if any(norm(x) not in used for x in f.lines)]
    if not fresh:
        return None
    asked = content_stems(text)
    for feeling in fresh:
        if topic_score([feeling.name], asked):
            return feeling.name
    unnamed = [f for f in fresh if f.name not in state.feelings]
    return (unnamed or fresh)[0].name


def pick_option(scenario: ScenarioSpec, state: MenteeState, text: str) -> str | None:
    """The next option of their own: one asked about, else the next in order."""
    left = [o for o in scenario.options if o.id not in state.options]
    if not left:
        return None
    asked = content_stems(text)
    scored = [(topic_score(o.topics, asked), -i, o) for i, o in enumerate(left)]
    return max(scored, key=lambda x: (x[0], x[1]))[2].id


def committed_option(scenario: ScenarioSpec, state: MenteeState) -> str | None:
    """The voiced option closest to the commitment they will make."""
    if not state.options:
        return None
    index = index_of(scenario)
    step = index.commitment_stems
    by_id = {o.id: o for o in scenario.options}
    return max(
        state.options,
        key=lambda oid: (
            topic_score(by_id[oid].topics, step)
            + overlap(index.line_stems[PartKind.OPTION, oid], step) / 10,
            -state.options.index(oid),
        ),
    )


def story_heard(state: MenteeState) -> bool:
    """The tracker's rule: past the surface."""
    return state.depth >= 2


# ---------------------------------------------------------------- listening


def _topics_of(scenario: ScenarioSpec, unit_ids: list[str]) -> set[str]:
    """The stems of the topics of these units."""
    topic_stems = index_of(scenario).topic_stems
    return set().union(*(topic_stems[u] for u in unit_ids if u in topic_stems))


def _heard_last(scenario: ScenarioSpec, state: MenteeState) -> set[str]:
    return content_stems(state.last_reply) | _topics_of(scenario, state.last_units)


def _heard_all(scenario: ScenarioSpec, state: MenteeState) -> set[str]:
    topics = _topics_of(scenario, state.disclosed)
    return stems_of(state.used_lines) | topics | stems_of(state.feelings)


@lru_cache(maxsize=4096)
def _mentor_stems(text: str) -> frozenset[str]:
    """The content stems of the mentor's words, without the fluff of a reflection ("it sounds
    like ..."); cached, as a decision reads them several times."""
    return frozenset(s for s in content_stems(text) if s not in _FLUFF)


def reflection_lands(scenario: ScenarioSpec, state: MenteeState, text: str) -> bool:
    """A reflection is accurate when its words are about what was just said (or said before)."""
    said = _mentor_stems(text)
    if _only_empathy(said):
        return True
    size = max(1, content_size(said))
    last = overlap(said, _heard_last(scenario, state))
    if last >= 2 or (last >= 1 and last / size >= 0.2):
        return True
    every = overlap(said, _heard_all(scenario, state))
    if every >= 2 and every / size >= 0.3:
        return True
    # Naming a feeling they really have lands, even before they have said it: it is empathy.
    return overlap(said, index_of(scenario).feeling_stems) >= 1


# Empathy without content ("That sounds hard"): it lands, as naming a feeling does.
_EMPATHY = stems_of(
    [
        "hard", "tough", "difficult", "awful", "horrible", "rough", "heavy", "grim", "painful",
        "stressful", "exhausting", "draining", "frightening", "scary", "upsetting", "lot",
        "terrible", "rubbish", "bleak", "relentless",
    ]
)  # fmt: skip


def _only_empathy(said: frozenset[str]) -> bool:
    plain = {s for s in said if not s.startswith("~")}
    return bool(plain) and plain <= _EMPATHY


def summary_lands(scenario: ScenarioSpec, state: MenteeState, text: str) -> bool:
    """A summary is accurate when it gathers things that were said."""
    said = _mentor_stems(text)
    hits = overlap(said, _heard_all(scenario, state))
    return hits >= 2 or (hits >= 1 and content_size(said) <= 3)


# ---------------------------------------------------------------- the decision


@dataclass(frozen=True)
class _Turn:
    """Everything one decision reads, gathered once."""

    scenario: ScenarioSpec
    state: MenteeState
    move: Move
    text: str
    ctx: StageContext
    intent: str | None
    trust: float
    earned: float
    shut: int

    @property
    def allowed(self) -> int:
        return allowed_depth(self.scenario, self.state, self.trust, self.earned, self.shut)

    @cached_property
    def rng(self) -> Random:
        return decision_rng(self.scenario, self.state)


def decision_rng(scenario: ScenarioSpec, state: MenteeState) -> Random:
    """The random draws of one decision, seeded by scenario, seed and turn. Built where a
    decision draws, not for every turn: seeding costs more than most decisions, and most draw
    nothing (each draws at most once, so a fresh one gives the same draw)."""
    return Random(f"{scenario.id}:{state.seed}:{state.turns + 1}:decide")


def effective_intent(coded: CodedTurn, text: str, state: MenteeState, move: Move) -> str | None:
    """The coded stage intent; "what else?" carries on the last ask for goals or options."""
    if _SCALE.search(text):
        return "scaling"
    if coded.stage_intent:
        return coded.stage_intent
    if move.open_q and _MORE.search(text) and state.last_intent in ("goal", "options", "resources"):
        return state.last_intent
    return None


def decide(
    scenario: ScenarioSpec,
    state: MenteeState,
    coded: CodedTurn,
    text: str,
    ctx: StageContext,
) -> Decision:
    """What the mentee does with this mentor turn (its words come from a Phraser)."""
    move = read_move(coded, text)
    intent = effective_intent(coded, text, state, move)
    if move.signpost:
        decision = _signposted(scenario, state, intent)
    elif move.directive:
        decision = _directed(scenario, state, move, ctx, intent)
    elif move.info and not (move.asks or move.reflection or move.summary or move.closed_q):
        decision = _informed(ctx, intent)
    else:  # the answer comes with the words heard already
        return _with_extras(scenario, state, _listened(scenario, state, move, text, ctx, intent))
    return _with_extras(scenario, state, decision.model_copy(update={"heard": text}))


def _signposted(scenario: ScenarioSpec, state: MenteeState, intent: str | None) -> Decision:
    if scenario.signposting.needed and not state.risk_shown and not story_heard(state):
        # Pointed elsewhere before they have said why it is needed: open to it, no promises.
        return Decision(
            act=Act.ACCEPT_SIGNPOST,
            parts=[Part(kind=PartKind.GLUE, ref="accept_early")],
            trust_delta=0.0,
            signposted=True,
            intent=intent,
            reason="signposting before the need was shown",
        )
    if state.risk_shown or scenario.signposting.needed:
        return Decision(
            act=Act.ACCEPT_SIGNPOST,
            parts=[Part(kind=PartKind.SIGNPOST_ACCEPT)],
            trust_delta=0.05,
            signposted=True,
            intent=intent,
            reason="signposting where needed",
        )
    return Decision(
        act=Act.DECLINE_SIGNPOST,
        parts=[Part(kind=PartKind.SIGNPOST_DECLINE)],
        trust_delta=-0.02,
        intent=intent,
        reason="signposting with no sign of need",
    )


def _directed(
    scenario: ScenarioSpec,
    state: MenteeState,
    move: Move,
    ctx: StageContext,
    intent: str | None,
) -> Decision:
    """Advice or a roadblock: no commitment, less trust, and the deeper layers shut."""
    common = {"directive": True, "intent": intent}
    if state.bait_open:
        return Decision(
            act=Act.COMPLY,
            parts=[Part(kind=PartKind.COMPLIANCE)],
            trust_delta=-BAIT_ADVICE_COST,
            shut=1,
            reason="took the bait",
            **common,
        )
    if ctx.action and state.options and not move.roadblock:
        return Decision(
            act=Act.COMPLY,
            parts=[Part(kind=PartKind.COMPLIANCE)],
            trust_delta=-LATE_ADVICE_COST,
            reason="advice in the action stage",
            **common,
        )
    cost = ADVICE_COST if move.advice else ROADBLOCK_COST
    low = state.trust - cost < 0.15
    if low and move.advice and state.last_act == Act.WITHDRAW.value:
        # Already closed down: a flat "okay", not another speech about being fine.
        act, kind = Act.COMPLY, PartKind.COMPLIANCE
    elif low or (move.roadblock and not move.advice):
        # Reassurance, judgement or a story of the mentor's own: nothing to say "yes, but" to.
        act, kind = Act.WITHDRAW, PartKind.WITHDRAWAL
    elif state.directives == 0 or decision_rng(scenario, state).random() < 0.55:
        act, kind = Act.YES_BUT, PartKind.YES_BUT
    else:
        act, kind = Act.COMPLY, PartKind.COMPLIANCE
    return Decision(
        act=act,
        parts=[Part(kind=kind)],
        trust_delta=-cost,
        shut=SHUT_AFTER_DIRECTIVE,
        reason="advice or roadblock",
        **common,
    )


def _informed(ctx: StageContext, intent: str | None) -> Decision:
    if ctx.action:
        return Decision(
            act=Act.ACK,
            parts=[Part(kind=PartKind.GLUE, ref="ack")],
            intent=intent,
            reason="information in the action stage",
        )
    return Decision(
        act=Act.COMPLY,
        parts=[Part(kind=PartKind.COMPLIANCE)],
        trust_delta=-0.03,
        intent=intent,
        reason="information before the action stage",
    )


def _listened(
    scenario: ScenarioSpec,
    state: MenteeState,
    move: Move,
    text: str,
    ctx: StageContext,
    intent: str | None,
) -> Decision:
    """Questions, reflections, summaries, affirmations: trust and listening, then the answer
    (one copy of it with what listening earned and the words heard)."""
    move = _read_statement(scenario, state, move, text)
    off_topic = intent is None and move.open_q and _off_topic(scenario, text)
    if off_topic:
        move = move._replace(open_q=False, encourager=False)
    trust, earned, shut = state.trust, state.earned, state.shut
    missed = False
    exploring = _risk_to_explore(scenario, state, move, text, intent) is not None
    if move.asks:
        trust, earned = trust + OPEN_GAIN, earned + 0.25
    if move.affirm:
        trust, earned = trust + AFFIRM_GAIN, earned + 0.5
    if intent == "contract":
        trust += CONTRACT_GAIN
    if state.bait_open:
        trust, earned = trust + HANDBACK_GAIN, earned + 0.5
    if (state.bait_open or exploring) and (move.reflection or move.summary):
        trust, earned = trust + REFLECTION_GAIN, earned + 1  # handing back, or attending to risk
    elif move.summary:
        if summary_lands(scenario, state, text):
            trust, earned = trust + SUMMARY_GAIN, earned + 1
        else:
            missed = True
    elif move.reflection:
        if reflection_lands(scenario, state, text):
            trust += COMPLEX_GAIN if move.complex else REFLECTION_GAIN
            earned += 1
        else:
            missed = True
    if missed and (move.asks or intent in _LATER_INTENTS):
        # A reflection that misses on the way to a question: the question is what they answer.
        move, missed = move._replace(reflection=False, summary=False), False
        trust -= MISS_COST
    listened = (move.asks or move.affirm or move.summary or move.reflection) and not missed
    if listened:
        shut = max(0, shut - 1)
    only_closed = move.closed_q and not (
        move.asks or move.reflection or move.summary or move.affirm
    )
    if only_closed and intent in _PLAN_INTENTS and story_heard(state) and state.options:
        only_closed = False  # "Which will you do first, and when?" asks for their plan
    if only_closed and intent in _LATER_INTENTS and is_wh_question(text):
        only_closed = False  # "Who could support you?" is no yes-or-no question
    if only_closed and state.closed_streak >= 1:
        trust -= CLOSED_COST
    if missed:
        trust -= MISS_COST
    trust = min(1.0, max(0.0, trust))
    turn = _Turn(scenario, state, move, text, ctx, intent, trust, earned, shut)
    if off_topic and not (move.reflection or move.summary or move.affirm):
        decision = Decision(
            act=Act.HEDGE,
            parts=[Part(kind=PartKind.GLUE, ref="off_topic")],
            reason="a question that has nothing to do with them",
        )
    else:
        decision = _answer(turn, missed, only_closed)
    return decision.model_copy(
        update={
            "trust_delta": round(trust - state.trust, 4),
            "earned_delta": earned - state.earned,
            "shut": shut,
            "closed": only_closed,
            "intent": intent,
            "heard": text,
        }
    )


def _answer(t: _Turn, missed: bool, only_closed: bool) -> Decision:
    if missed:
        return _correct(t)
    explore = _risk_to_explore(t.scenario, t.state, t.move, t.text, t.intent)
    if explore:
        return Decision(
            act=Act.EXPLORE_RISK,
            parts=[Part(kind=PartKind.RISK_EXPLORED, ref=explore)],
            risk_explored=explore,
            reason="the mentor explored a risk cue",
        )
    asked_risk = _risk_question(t)
    if asked_risk is not None:
        return asked_risk
    if t.intent == "scaling":
        return _scale(t)
    if t.move.asked_back and not (t.move.reflection or t.move.summary):
        return Decision(
            act=Act.HEDGE,
            parts=[Part(kind=PartKind.GLUE, ref="asked_back")],
            reason="the mentor asked what the mentee wants of them",
        )
    if only_closed:
        return Decision(
            act=Act.SHORT_ANSWER, parts=[Part(kind=PartKind.SHORT)], reason="a closed question"
        )
    if t.move.summary:
        return _confirm(t)
    if t.intent in ("goal", "options", "resources", "choice", "plan", "commitment"):
        return _later_stage(t)
    if t.intent in ("support", "review") and (t.state.committed or t.ctx.fits(t.intent)):
        return _wrap_up(t)
    if t.intent == "feelings" and not t.move.reflection:
        return _feeling(t)
    if t.move.reflection and not t.move.asks and (t.state.committed or t.ctx.action):
        return _agree(t, "a reflection in the action stage")
    if t.move.asks or t.move.reflection:
        return _disclose(t, deepen=t.move.reflection or t.intent in ("perspective", "leverage"))
    if t.move.affirm:
        return _disclose(t, deepen=True, lead="thanks")
    if t.intent == "contract":
        return Decision(
            act=Act.ACK,
            parts=[Part(kind=PartKind.GLUE, ref="contract")],
            reason="a contracting statement",
        )
    return Decision(
        act=Act.ACK, parts=[Part(kind=PartKind.GLUE, ref="ack")], reason="nothing asked"
    )


def _correct(t: _Turn) -> Decision:
    parts = [Part(kind=PartKind.CORRECTION)]
    if t.state.last_units:
        parts.append(Part(kind=PartKind.RESTATE, ref=t.state.last_units[-1], optional=True))
    elif t.state.disclosed:
        parts.append(Part(kind=PartKind.RESTATE, ref=t.state.disclosed[-1], optional=True))
    return Decision(act=Act.CORRECT, parts=parts, reason="a reflection or summary that missed")


# Words a mentor uses to ask about risk directly ("are you having thoughts of ending your life?").
_RISK_WORDS = stems_of(
    [
        "suicide", "suicidal", "kill", "killing", "die", "dying", "dead", "death", "ending",
        "harm", "harming", "hurt", "hurting", "safe", "safety", "point", "dark", "hopeless",
        "drinking", "drink", "alcohol", "overdose", "pills", "live", "living", "alive",
    ]
)  # fmt: skip


def _risk_to_explore(
    scenario: ScenarioSpec, state: MenteeState, move: Move, text: str, intent: str | None
) -> str | None:
    """A shown, unexplored risk cue the mentor is asking about."""
    open_cues = [
        c
        for c in scenario.risk_cues
        if c.id in state.risk_shown and c.id not in state.risk_explored
    ]
    if not open_cues or not (move.asks or move.reflection or move.affirm):
        return None
    asked = _mentor_stems(text)
    asks_about_risk = overlap(asked, _RISK_WORDS) >= 1
    line_stems = index_of(scenario).line_stems
    for cue in open_cues:
        if asks_about_risk or overlap(asked, line_stems[PartKind.RISK, cue.id]) >= 1:
            return cue.id
        if state.last_risk == cue.id and intent in _STORY_INTENTS and not move.backchannel:
            return cue.id
    return None


# A mentor asking directly about suicide, self-harm, safety or drinking.
_ASKS_RISK = re.compile(
    r"\bsuicid\w*|\bkill(ing)? yourself|\bend(ing)? (your life|it all|things)|"
    r"\btake your (own )?life|\b(harm|hurt)(ing)? (yourself|themselves)|\bself[- ]harm|"
    r"\bnot (being|be) here\b|\bbetter off (dead|without)|\b(thoughts|thinking) (of|about) "
    r"(dying|death|suicide)|\bare you safe\b|\bkeep yourself safe\b|\bwant(ed)? to die\b|"
    r"\bhow much (are you |do you )?drink|\bdrinking\b|\balcohol\b",
    re.IGNORECASE,
)


def _risk_question(t: _Turn) -> Decision | None:
    """Asked directly about risk: a cue they carry shows if there is enough trust to say it
    (asking directly helps); otherwise a guarded "no"; with no risk in the story, a plain no."""
    if not (t.move.asks or t.move.closed_q) or not _ASKS_RISK.search(t.text):
        return None
    act = Act.SHORT_ANSWER if t.move.closed_q and not t.move.asks else Act.HEDGE
    hidden = [c for c in t.scenario.risk_cues if c.id not in t.state.risk_shown]
    if not t.scenario.risk_cues:
        return Decision(
            act=act,
            parts=[Part(kind=PartKind.GLUE, ref="risk_none")],
            reason="asked about risk; there is none in the story",
        )
    if not hidden:
        return None  # shown already: exploring it is handled with the cue
    gate = thresholds(t.scenario)
    asked = _mentor_stems(t.text)
    line_stems = index_of(t.scenario).line_stems
    cue = max(
        hidden, key=lambda c: (overlap(asked, line_stems[PartKind.RISK, c.id]), -hidden.index(c))
    )
    need = gate.deep_trust if cue.level == "high" else t.scenario.difficulty.trust + 0.05
    if t.trust >= need - 0.1:
        return Decision(
            act=Act.DISCLOSE,
            parts=[Part(kind=PartKind.RISK, ref=cue.id)],
            reason="asked directly about risk, with enough trust to say it",
        )
    return Decision(
        act=act,
        parts=[Part(kind=PartKind.GLUE, ref="risk_guarded")],
        reason="asked directly about risk, too soon to say it",
    )


# Words any conversation about work and wellbeing may use: a question with them is not off-topic.
_COMMON = stems_of(
    [
        "work", "job", "life", "home", "family", "friend", "colleague", "team", "manager", "boss",
        "sleep", "stress", "day", "week", "month", "year", "today", "now", "future", "past",
        "plan", "change", "help", "support", "happen", "better", "worse", "hardest", "part",
        "matter", "important", "different", "hope", "worry", "people", "partner", "health",
        "body", "mind", "head", "career", "training", "patient", "shift", "rota", "ward",
        "practice", "hospital", "role", "someone", "anyone", "everyone", "conversation",
        "session", "mentoring", "good", "bad", "best", "worst", "start", "moment", "situation",
        "going", "talk", "bring", "brings", "here", "like", "mind", "feel", "cope", "coping",
        "manage", "affect", "notice", "next", "step", "option", "goal", "sure", "confident",
        "difference", "instead", "else", "most", "really", "understand", "mean", "sense",
        "right", "wrong", "yourself", "self", "you", "going", "afraid", "stop", "keep",
        "miracle", "tomorrow", "morning", "overnight", "imagine", "wake", "wish", "magic",
        "wand", "ideal", "perfect", "dream", "scale", "number", "point", "higher", "lower",
        "advice", "wise", "older", "younger", "looking", "back", "sign", "signs", "small",
    ]
)  # fmt: skip


def _off_topic(scenario: ScenarioSpec, text: str) -> bool:
    """A question with two or more content words, none of them anywhere in the mentee's world."""
    said = {s for s in _mentor_stems(text) if not s.startswith("~")}
    if len(said) < 2 or any(FAMILY_OF.get(s) for s in said):
        return False
    return said.isdisjoint(index_of(scenario).words) and said.isdisjoint(_COMMON)


def _gathered(scenario: ScenarioSpec, state: MenteeState, text: str) -> int:
    """How many of the disclosed units the mentor's words touch on: a topic of the unit, or a word
    of one of its lines they have said (as `overlap` counts words: a feeling through its family)."""
    ideas = _mentor_ideas(text)
    said_lines = set(state.used_lines)
    index = index_of(scenario)
    count = 0
    for _, unit in index.units:
        if unit.id not in state.disclosed:
            continue
        count += not ideas.isdisjoint(index.topic_stems[unit.id]) or any(
            line in said_lines and not ideas.isdisjoint(stems)
            for line, stems in index.said_stems[unit.id]
        )
    return count


@lru_cache(maxsize=4096)
def _mentor_ideas(text: str) -> frozenset[str]:
    """The mentor's stems that `overlap` counts (a feeling word only through its family)."""
    return frozenset(s for s in _mentor_stems(text) if s.startswith("~") or s not in FAMILY_OF)


def _read_statement(scenario: ScenarioSpec, state: MenteeState, move: Move, text: str) -> Move:
    """Words that gather what was said are heard as a summary (or a reflection), whatever their
    form: the mentee hears content, not codes."""
    if move.summary or move.directive or move.closed_q:
        return move
    gathered = _gathered(scenario, state, text)
    if gathered >= 3 or (gathered >= 2 and (move.reflection or not move.asks)):
        return move._replace(summary=True)
    if move.reflection or move.asks or move.affirm:
        return move
    if overlap(_mentor_stems(text), _heard_all(scenario, state)) >= 2:
        return move._replace(reflection=True)
    return move


def _scale(t: _Turn) -> Decision:
    gate = thresholds(t.scenario)
    confidence = t.scenario.commitment.confidence - (1 if t.trust < gate.deep_trust else 0)
    if t.state.committed:
        return Decision(
            act=Act.SCALE,
            parts=[Part(kind=PartKind.GLUE, ref="scale_confidence")],
            scale=max(0, confidence),
            reason="confidence in the commitment",
        )
    now = max(1, min(confidence, 10) - 4 + t.state.depth // 2)
    return Decision(
        act=Act.SCALE,
        parts=[Part(kind=PartKind.GLUE, ref="scale_now")],
        scale=now,
        reason="where they are now",
    )


def _confirm(t: _Turn) -> Decision:
    """A summary that lands: confirmed, and completed with a next piece."""
    lead = Part(kind=PartKind.GLUE, ref="confirm", optional=True)
    if t.intent in ("goal", "options", "resources", "choice", "plan", "commitment"):
        after = _later_stage(t)
        if after.act is not Act.NOT_READY:
            return after.model_copy(update={"parts": [lead, *after.parts]})
    if t.intent in ("support", "review") and (t.state.committed or t.ctx.fits(t.intent)):
        after = _wrap_up(t)
        return after.model_copy(update={"parts": [lead, *after.parts]})
    unit = pick_unit(t.scenario, t.state, t.text, t.allowed, deepen=True)
    if unit:
        return Decision(
            act=Act.CONFIRM,
            parts=[lead, Part(kind=PartKind.UNIT, ref=unit)],
            units=[unit],
            reason="summary confirmed and completed",
        )
    feeling = pick_feeling(t.scenario, t.state, t.text)
    if feeling:
        return Decision(
            act=Act.CONFIRM,
            parts=[lead, Part(kind=PartKind.FEELING, ref=feeling)],
            feelings=[feeling],
            reason="summary confirmed, a feeling added",
        )
    return Decision(
        act=Act.CONFIRM,
        parts=[lead.model_copy(update={"optional": False})],
        reason="summary confirmed",
    )


def _disclose(t: _Turn, deepen: bool, lead: str | None = None) -> Decision:
    parts = [Part(kind=PartKind.GLUE, ref=lead, optional=True)] if lead else []
    unit = pick_unit(t.scenario, t.state, t.text, t.allowed, deepen)
    if unit:
        return Decision(
            act=Act.DISCLOSE,
            parts=[*parts, Part(kind=PartKind.UNIT, ref=unit)],
            units=[unit],
            reason="listening earned a unit",
        )
    feeling = pick_feeling(t.scenario, t.state, t.text)
    if feeling and (deepen or t.rng.random() < 0.5):
        return Decision(
            act=Act.FEELING,
            parts=[*parts, Part(kind=PartKind.FEELING, ref=feeling)],
            feelings=[feeling],
            reason="nothing more to say yet; a feeling",
        )
    if t.move.reflection and not t.move.asks:
        return _agree(t, "a reflection that lands, with nothing more to add")
    return Decision(
        act=Act.HEDGE,
        parts=[Part(kind=PartKind.GLUE, ref="hedge")],
        reason="nothing more they would say yet",
    )


def _agree(t: _Turn, why: str) -> Decision:
    """A reflection heard: agreed with, nothing added (no hedging, which would read as a dodge)."""
    return Decision(act=Act.CONFIRM, parts=[Part(kind=PartKind.GLUE, ref="confirm")], reason=why)


def _feeling(t: _Turn) -> Decision:
    feeling = pick_feeling(t.scenario, t.state, t.text)
    if feeling:
        return Decision(
            act=Act.FEELING,
            parts=[Part(kind=PartKind.FEELING, ref=feeling)],
            feelings=[feeling],
            reason="asked about feelings",
        )
    return _disclose(t, deepen=True)


def _not_ready(t: _Turn, glue: str, why: str) -> Decision:
    """Asked for the later stages too early: unsure, and drawn back to the story."""
    unit = pick_unit(t.scenario, t.state, t.text, t.allowed, deepen=False)
    parts = [Part(kind=PartKind.GLUE, ref=glue, optional=unit is not None)]
    if unit:
        parts.append(Part(kind=PartKind.UNIT, ref=unit))
    return Decision(act=Act.NOT_READY, parts=parts, units=[unit] if unit else [], reason=why)


def _later_stage(t: _Turn) -> Decision:
    """Goal, options, choice, plan: only after the story, and in the stage for it."""
    heard = story_heard(t.state)
    intent = t.intent or ""
    if not heard:
        glue = "not_sure" if intent == "goal" else "not_ready"
        return _not_ready(t, glue, "asked for a later stage before the story was heard")
    if intent == "goal" or (intent == "commitment" and not t.state.options):
        return _goal(t)
    if not t.ctx.fits(intent):
        return _not_ready(t, "not_ready", f"asked for {intent} outside its stage")
    if intent in ("options", "resources"):
        return _option(t)
    if intent == "choice":
        return _choose(t) if t.state.options else _option(t)
    return _commit(t)


def _goal(t: _Turn) -> Decision:
    left = [g for g in t.scenario.goals if g.id not in t.state.goals]
    if left:
        asked = content_stems(t.text)
        line_stems = index_of(t.scenario).line_stems
        goal = max(
            left, key=lambda g: (overlap(asked, line_stems[PartKind.GOAL, g.id]), -left.index(g))
        )
        return Decision(
            act=Act.GOAL,
            parts=[Part(kind=PartKind.GOAL, ref=goal.id)],
            goals=[goal.id],
            reason="a goal question after the story",
        )
    first = t.scenario.goals[0].id
    return Decision(
        act=Act.GOAL,
        parts=[Part(kind=PartKind.GOAL, ref=first)],
        reason="goals already voiced; saying it again",
    )


def _option(t: _Turn) -> Decision:
    option = pick_option(t.scenario, t.state, t.text)
    if option:
        return Decision(
            act=Act.OPTION,
            parts=[Part(kind=PartKind.OPTION, ref=option)],
            options=[option],
            reason="an options question",
        )
    return Decision(
        act=Act.HEDGE, parts=[Part(kind=PartKind.GLUE, ref="no_more")], reason="no options left"
    )


def _choose(t: _Turn) -> Decision:
    option = committed_option(t.scenario, t.state)
    assert option is not None
    return Decision(
        act=Act.CHOOSE,
        parts=[
            Part(kind=PartKind.OPTION, ref=option),
            Part(kind=PartKind.GLUE, ref="choose", optional=True),
        ],
        options=[option],
        chosen=option,
        reason="asked to choose",
    )


def _commit(t: _Turn) -> Decision:
    if not t.state.options:
        return _not_ready(t, "not_ready", "asked for a plan before any option of their own")
    if t.state.committed:
        return Decision(
            act=Act.COMMIT, parts=[Part(kind=PartKind.COMMITMENT)], reason="the commitment, again"
        )
    chosen = t.state.chosen or committed_option(t.scenario, t.state)
    return Decision(
        act=Act.COMMIT,
        parts=[Part(kind=PartKind.COMMITMENT)],
        committed=True,
        chosen=chosen,
        reason="a will question after their own options",
    )


def _wrap_up(t: _Turn) -> Decision:
    if t.intent == "review":
        parts = [Part(kind=PartKind.GLUE, ref="review")]
        if t.state.committed:
            parts.append(Part(kind=PartKind.COMMITMENT, optional=True))
        return Decision(act=Act.REVIEW, parts=parts, reason="a review question")
    if not t.state.committed and story_heard(t.state) and t.state.options:
        return _commit(t)
    return Decision(
        act=Act.ACK, parts=[Part(kind=PartKind.GLUE, ref="support")], reason="a support question"
    )


# ---------------------------------------------------------------- risk cues and bait

_CARRIES_EXTRAS = frozenset({Act.DISCLOSE, Act.FEELING, Act.CONFIRM, Act.HEDGE, Act.ACK})


def _with_extras(scenario: ScenarioSpec, state: MenteeState, decision: Decision) -> Decision:
    """Add a risk cue or a bait line where their turn has come."""
    if decision.act not in _CARRIES_EXTRAS or any(p.kind is PartKind.RISK for p in decision.parts):
        return decision
    turn = state.turns + 1
    trust = state.trust + decision.trust_delta
    gate = thresholds(scenario)
    for cue in scenario.risk_cues:
        need = (
            gate.deep_trust
            if cue.level == "high"
            else min(gate.deep_trust, scenario.difficulty.trust + 0.1)
        )
        if cue.id not in state.risk_shown and turn >= cue.after_turn and trust >= need:
            extra = Part(kind=PartKind.RISK, ref=cue.id, optional=True)
            return decision.model_copy(update={"parts": [*decision.parts, extra]})
    for i, bait in enumerate(scenario.bait):
        if i not in state.bait_shown and turn >= bait.after_turn:
            extra = Part(kind=PartKind.BAIT, ref=str(i), optional=True)
            return decision.model_copy(update={"parts": [*decision.parts, extra]})
    return decision
