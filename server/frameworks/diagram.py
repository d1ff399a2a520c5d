"""Mermaid `stateDiagram-v2` text for a framework, from transitions' own mermaid support.

Diagrams use a separate GraphMachine with one dummy model, never the shared session machine.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from transitions.extensions import GraphMachine, HierarchicalGraphMachine

from server.frameworks.engine import FrameworkEngine, is_nested, machine_states, trigger_name
from server.frameworks.guards import resolve
from server.frameworks.spec import FrameworkSpec


class _Model:
    """The one long-lived model a diagram machine needs."""


def _named(name: str) -> Any:
    guard = resolve(name)

    def condition(event: Any) -> bool:  # never fired: only its name is drawn
        return guard.check(event.model.facts)

    condition.__name__ = name
    return condition


def mermaid_source(spec: FrameworkSpec) -> str:
    """The framework as a Mermaid `stateDiagram-v2`, transitions labelled `kind [guards]`."""
    machine_cls = HierarchicalGraphMachine if is_nested(spec) else GraphMachine
    model = _Model()
    machine = machine_cls(
        model=model,
        states=machine_states(spec),
        initial=spec.initial,
        auto_transitions=False,
        graph_engine="mermaid",
        show_conditions=True,
        title=spec.name,
    )
    for t in spec.transitions:
        machine.add_transition(
            trigger_name(t.dest),
            list[Any](t.source),
            t.dest,
            conditions=[_named(g) for g in t.guards],
        )
    source: str = model.get_graph().source  # type: ignore[attr-defined]
    return _relabel(source, spec)


def _relabel(source: str, spec: FrameworkSpec) -> str:
    """Show the move kind instead of the internal trigger name, and stage titles."""
    kinds = {(src, t.dest): t.kind.value for t in spec.transitions for src in t.source}
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if "-->" in stripped and ": go_" in stripped:
            left, _, label = stripped.partition(": ")
            src, _, dest = (part.strip() for part in left.partition("-->"))
            guards = label.partition(" ")[2]
            kind = kinds.get((src, dest), "")
            line = line.replace(label, f"{kind} {guards}".strip())
        lines.append(line)
    titles = {name: step.title for name, step, _ in spec.leaves()}
    titles.update({stage.id: stage.title for stage in spec.stages})
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith('state "') and " as " in stripped:
            name = stripped.rsplit(" as ", 1)[1].strip()
            if name in titles:
                indent = line[: len(line) - len(line.lstrip())]
                line = f'{indent}state "{titles[name]}" as {name}'
        out.append(line)
    return "\n".join(out) + "\n"


@cache
def engine_diagram(engine: FrameworkEngine) -> str:
    """The diagram of a loaded framework, drawn once per process."""
    return mermaid_source(engine.spec)
