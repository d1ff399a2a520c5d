"""What the mentee reads from its scenario on every turn, looked up once per scenario.

A `ScenarioSpec` is frozen: its units in layer order, each part's own lines and the stems of its
topics and lines are the same on every turn of every session, so they are gathered here once per
loaded scenario object (`index_of`) instead of being searched for and stemmed again each turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from server.mentee.model import PartKind, norm
from server.mentee.words import stems_of
from server.scenarios.spec import ScenarioSpec, Unit

LAYERS = ("surface", "deeper", "core")

# Parts whose `ref` names the piece of the scenario their lines come from.
_REFERRING = frozenset(
    {
        PartKind.UNIT,
        PartKind.RESTATE,
        PartKind.FEELING,
        PartKind.GOAL,
        PartKind.OPTION,
        PartKind.BAIT,
        PartKind.RISK,
        PartKind.RISK_EXPLORED,
    }
)


@dataclass(frozen=True)
class ScenarioIndex:
    """One scenario's lookups: built by `index_of`, never changed."""

    units: tuple[tuple[int, Unit], ...]  # every unit with its layer (1 surface ... 3 core)
    depth: Mapping[str, int]  # unit id -> layer
    topic_stems: Mapping[str, frozenset[str]]  # unit id -> the stems of its topics
    # unit id -> each of its lines as `used_lines` remembers it (`norm`), with the line's stems
    said_stems: Mapping[str, tuple[tuple[str, frozenset[str]], ...]]
    referred: Mapping[tuple[PartKind, str], Sequence[str]]  # (kind, ref) -> its own lines
    pools: Mapping[PartKind, Sequence[str]]  # the lines of parts without a ref
    line_stems: Mapping[tuple[PartKind, str], frozenset[str]]  # (kind, ref) -> stems of its lines
    feeling_stems: frozenset[str]  # the stems of the feelings' names
    commitment_stems: frozenset[str]  # the stems of the commitment's step and lines
    words: frozenset[str]  # every content stem of the whole file

    def lines(self, kind: PartKind, ref: str | None) -> Sequence[str]:
        """A part's own lines (empty for glue, or a ref the scenario does not have)."""
        if kind in _REFERRING:
            return self.referred.get((kind, ref or ""), ())
        return self.pools.get(kind, ())


def _stems(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(stems_of(texts))


def build_index(scenario: ScenarioSpec) -> ScenarioIndex:
    """Gather a scenario's lookups (see `index_of`, which keeps them)."""
    units = tuple(
        (depth, unit)
        for depth, name in enumerate(LAYERS, start=1)
        for unit in getattr(scenario.layers, name)
    )
    first: dict[str, tuple[int, Unit]] = {}  # unit id -> the first unit of that id
    for depth, unit in units:
        first.setdefault(unit.id, (depth, unit))
    referred: dict[tuple[PartKind, str], Sequence[str]] = {}

    def refer(kind: PartKind, ref: str, lines: Sequence[str]) -> None:
        referred.setdefault((kind, ref), lines)  # the first of a name, as a search would find

    for _, unit in units:
        refer(PartKind.UNIT, unit.id, unit.lines)
        refer(PartKind.RESTATE, unit.id, unit.lines)
    for feeling in scenario.feelings:
        refer(PartKind.FEELING, feeling.name, feeling.lines)
    for goal in scenario.goals:
        refer(PartKind.GOAL, goal.id, goal.lines)
    for option in scenario.options:
        refer(PartKind.OPTION, option.id, option.lines)
    for i, bait in enumerate(scenario.bait):
        refer(PartKind.BAIT, str(i), bait.lines)
    for cue in scenario.risk_cues:
        refer(PartKind.RISK, cue.id, cue.lines)
        refer(PartKind.RISK_EXPLORED, cue.id, cue.explored_lines)
    return ScenarioIndex(
        units=units,
        depth={uid: depth for uid, (depth, _) in first.items()},
        topic_stems={uid: _stems(unit.topics) for uid, (_, unit) in first.items()},
        said_stems={
            uid: tuple((norm(line), _stems([line])) for line in unit.lines)
            for uid, (_, unit) in first.items()
        },
        referred=referred,
        pools={
            PartKind.OPENING: scenario.opening,
            PartKind.COMMITMENT: scenario.commitment.lines,
            PartKind.SHORT: scenario.short_answers,
            PartKind.YES_BUT: scenario.yes_but,
            PartKind.COMPLIANCE: scenario.compliance,
            PartKind.WITHDRAWAL: scenario.withdrawal,
            PartKind.CORRECTION: scenario.corrections,
            PartKind.SIGNPOST_ACCEPT: scenario.signposting.accept_lines,
            PartKind.SIGNPOST_DECLINE: scenario.signposting.reject_lines,
        },
        line_stems={key: _stems(lines) for key, lines in referred.items()},
        feeling_stems=_stems(feeling.name for feeling in scenario.feelings),
        commitment_stems=_stems(
            [f"{scenario.commitment.step} {' '.join(scenario.commitment.lines)}"]
        ),
        words=_stems(_all_text(scenario)),
    )


def _all_text(scenario: ScenarioSpec) -> list[str]:
    """Every string of the scenario file."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(scenario.model_dump(mode="json"))
    return out


_INDEXES: dict[int, tuple[ScenarioSpec, ScenarioIndex]] = {}
_MAX_INDEXES = 256


def index_of(scenario: ScenarioSpec) -> ScenarioIndex:
    """The scenario's index, built on first use and kept per loaded scenario object (keyed by
    identity: a ScenarioSpec holds lists, so it cannot be hashed; the entry holds the object, so
    its id is not reused while cached)."""
    cached = _INDEXES.get(id(scenario))
    if cached is None or cached[0] is not scenario:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.clear()
        cached = (scenario, build_index(scenario))
        _INDEXES[id(scenario)] = cached
    return cached[1]
