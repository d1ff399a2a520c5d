"""The framework engine: one `transitions` machine per framework, built once, serving any session.

A session's framework state is plain data (`FrameworkState`). A move checks the declared move's
guards (resolved from the registry), restores the state onto a throw-away cursor, fires the
machine's trigger (the same guards are its conditions) and returns new data: no session object is
ever attached to the machine, so any worker process can serve any request. A refusal a guard
decides is recorded without firing the machine: the machine would refuse it on the same guard.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from transitions import Machine
from transitions.extensions.nesting import HierarchicalMachine

from server.frameworks.guards import Facts, Guard, resolve
from server.frameworks.spec import NESTING_SEPARATOR, FrameworkSpec, Intent, MoveKind, StepSpec

Via = Literal["start", "forward", "back", "skip"]


class StageVisit(BaseModel):
    """One stay in a stage: where, from which turn, and how the session got there."""

    model_config = ConfigDict(extra="forbid")

    stage: str
    turn: int
    via: Via


class RefusedMove(BaseModel):
    """A move a guard (or the framework's shape) did not allow."""

    model_config = ConfigDict(extra="forbid")

    source: str
    dest: str
    turn: int
    guard: str | None
    reason: str


class FrameworkState(BaseModel):
    """A session's place in its framework: saved as JSON, restored by any process."""

    model_config = ConfigDict(extra="forbid")

    framework: str
    stage: str
    visits: list[StageVisit] = Field(default_factory=list)
    refused: list[RefusedMove] = Field(default_factory=list)


@dataclass(frozen=True)
class MoveResult:
    """What a move did: the new state, and if refused, why."""

    state: FrameworkState
    accepted: bool
    kind: MoveKind | None = None
    reason: str | None = None
    guard: str | None = None


@dataclass
class _Cursor:
    """The throw-away model a trigger fires on."""

    state: str
    facts: Facts
    failed: Guard | None = None


def _condition(guard: Guard) -> Any:
    def condition(event: Any) -> bool:
        ok = guard.check(event.model.facts)
        if not ok:
            event.model.failed = guard
        return ok

    condition.__name__ = guard.name
    return condition


def trigger_name(dest: str) -> str:
    """The machine trigger that moves to `dest`."""
    return f"go_{dest}"


def machine_states(spec: FrameworkSpec) -> list[Any]:
    """The `states` argument for a (hierarchical) machine built from the spec."""
    states: list[Any] = []
    for stage in spec.stages:
        if stage.steps:
            children = [step.id for step in stage.steps]
            states.append({"name": stage.id, "children": children, "initial": children[0]})
        else:
            states.append(stage.id)
    return states


def is_nested(spec: FrameworkSpec) -> bool:
    """True when some stage has steps (Egan)."""
    return any(stage.steps for stage in spec.stages)


@dataclass(eq=False)
class FrameworkEngine:
    """A validated framework and its machine; shared by every session of that framework."""

    spec: FrameworkSpec
    machine: Machine = field(init=False)
    order: dict[str, int] = field(init=False)
    steps: dict[str, StepSpec] = field(init=False)
    parents: dict[str, str] = field(init=False)
    kinds: dict[tuple[str, str], MoveKind] = field(init=False)
    guards: dict[tuple[str, str], tuple[Guard, ...]] = field(init=False)

    def __post_init__(self) -> None:
        leaves = self.spec.leaves()
        self.order = {name: i for i, (name, _, _) in enumerate(leaves)}
        self.steps = {name: step for name, step, _ in leaves}
        self.parents = {name: stage.id for name, _, stage in leaves}
        self.kinds = {(src, t.dest): t.kind for t in self.spec.transitions for src in t.source}
        self.guards = {
            (src, t.dest): tuple(resolve(name) for name in t.guards)
            for t in self.spec.transitions
            for src in t.source
        }
        machine_cls = HierarchicalMachine if is_nested(self.spec) else Machine
        self.machine = machine_cls(
            model=None,
            states=machine_states(self.spec),
            initial=self.spec.initial,
            auto_transitions=False,
            send_event=True,
        )
        for t in self.spec.transitions:
            conditions = [_condition(resolve(name)) for name in t.guards]
            self.machine.add_transition(
                trigger_name(t.dest), list[Any](t.source), t.dest, conditions=conditions
            )

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def stage_ids(self) -> list[str]:
        """Every stage a session can be in, in order (nested ones as `stage_step`)."""
        return list(self.order)

    def resolve_stage(self, name: str) -> str | None:
        """A full stage name from a full name, a stage with steps (its first step) or a step id."""
        if name in self.order:
            return name
        for full in self.order:
            parent, _, step = full.partition(NESTING_SEPARATOR)
            if name in (parent, step):
                return full
        return None

    def start(self, turn: int = 0) -> FrameworkState:
        """The state of a new session: in the initial stage."""
        first = self.resolve_stage(self.spec.initial)
        assert first is not None  # checked when the framework was loaded
        return FrameworkState(
            framework=self.id, stage=first, visits=[StageVisit(stage=first, turn=turn, via="start")]
        )

    def move(self, state: FrameworkState, to: str, facts: Facts, turn: int) -> MoveResult:
        """Try to move the session to stage `to`; the guards decide, a refusal is recorded."""
        dest = self.resolve_stage(to)
        if dest is None:
            known = ", ".join(self.stage_ids)
            return self._refuse(
                state,
                to,
                turn,
                None,
                f"'{to}' is not a stage of {self.spec.name} (stages: {known}).",
            )
        if dest == state.stage:
            return MoveResult(state=state, accepted=False, reason=f"Already in {self.title(dest)}.")
        kind = self.kinds.get((state.stage, dest))
        if kind is None:
            return self._refuse(state, dest, turn, None, self._no_path(state.stage, dest))
        failed = self.failed_guard(state.stage, dest, facts)
        if failed is not None:
            return self._refuse(state, dest, turn, failed.name, failed.refusal)
        cursor = _Cursor(state=state.stage, facts=facts)
        if not self._fire(cursor, dest):
            failed = cursor.failed
            reason = failed.refusal if failed else "The move was not allowed."
            return self._refuse(state, dest, turn, failed.name if failed else None, reason)
        visits = [*state.visits, StageVisit(stage=dest, turn=turn, via=kind.value)]
        new = state.model_copy(update={"stage": dest, "visits": visits})
        return MoveResult(state=new, accepted=True, kind=kind)

    def failed_guard(self, source: str, dest: str, facts: Facts) -> Guard | None:
        """The first guard of the move `source` -> `dest` that `facts` fail, as the machine
        checks them (in order, stopping at the first that fails); None when all hold."""
        return next((g for g in self.guards[source, dest] if not g.check(facts)), None)

    def _fire(self, cursor: _Cursor, dest: str) -> bool:
        trigger = trigger_name(dest)
        if isinstance(self.machine, HierarchicalMachine):
            return bool(self.machine.trigger_event(cursor, trigger))
        return bool(self.machine.events[trigger].trigger(cursor))

    def _refuse(
        self, state: FrameworkState, dest: str, turn: int, guard: str | None, reason: str
    ) -> MoveResult:
        refused = RefusedMove(source=state.stage, dest=dest, turn=turn, guard=guard, reason=reason)
        new = state.model_copy(update={"refused": [*state.refused, refused]})
        return MoveResult(state=new, accepted=False, reason=reason, guard=guard)

    def _no_path(self, source: str, dest: str) -> str:
        allowed = sorted((d for (s, d) in self.kinds if s == source), key=self.order.__getitem__)
        names = ", ".join(self.title(d) for d in allowed) or "nowhere"
        return (
            f"{self.spec.name} has no move from {self.title(source)} to {self.title(dest)}; "
            f"from here you can go to: {names}."
        )

    def title(self, stage: str) -> str:
        """The stage's human title (nested: 'Stage title: step title')."""
        step = self.steps.get(stage)
        if step is None:
            return stage
        parent = self.parents[stage]
        if parent != stage:
            stage_spec = next(s for s in self.spec.stages if s.id == parent)
            return f"{stage_spec.title}: {step.title}"
        return step.title

    def next_stage(self, stage: str) -> str | None:
        """The stage after `stage` in the framework's order, or None at the end."""
        names = self.stage_ids
        i = self.order[stage]
        return names[i + 1] if i + 1 < len(names) else None

    def stages_for(self, intent: Intent) -> list[str]:
        """The stages whose signals include `intent`, in order."""
        return [name for name, step in self.steps.items() if intent in step.signals]

    def is_action_stage(self, stage: str) -> bool:
        """True for stages where offering information or options is in place."""
        return self.steps[stage].action

    def first_action_stage(self) -> str | None:
        """The first stage marked `action`, or None."""
        return next((name for name, step in self.steps.items() if step.action), None)

    def final_stage(self) -> str:
        """The full name of the framework's final stage."""
        final = self.resolve_stage(self.spec.final)
        assert final is not None
        return final

    def skipped(self, state: FrameworkState) -> list[str]:
        """Stages jumped over by skips, in order, never visited afterwards."""
        visited = {v.stage for v in state.visits}
        jumped: list[str] = []
        for before, after in zip(state.visits, state.visits[1:], strict=False):
            if after.via == "skip":
                lo, hi = self.order[before.stage], self.order[after.stage]
                jumped.extend(self.stage_ids[lo + 1 : hi])
        return [s for s in dict.fromkeys(jumped) if s not in visited]
