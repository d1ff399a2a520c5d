"""The frameworks: stages, transitions, canonical questions and the Mermaid diagram."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from server.api.deps import CatalogDep
from server.frameworks import FrameworkEngine
from server.frameworks.diagram import engine_diagram

router = APIRouter(prefix="/frameworks", tags=["frameworks"])


class StagePublic(BaseModel):
    """A stage a session can be in (Egan's steps are `stage_step`)."""

    id: str
    title: str
    parent: str | None
    parent_title: str | None
    purpose: str
    signals: list[str]
    moves: list[str]
    questions: list[str]
    pitfalls: list[str]
    action: bool


class TransitionPublic(BaseModel):
    """A move between two stages with its guards."""

    source: str
    dest: str
    kind: str
    guards: list[str]


class FrameworkSummary(BaseModel):
    """A framework in the list."""

    id: str
    name: str
    description: str
    stages: list[str]


class FrameworkPublic(FrameworkSummary):
    """A framework in full."""

    source: str | None
    initial: str
    final: str
    stage_details: list[StagePublic]
    transitions: list[TransitionPublic]
    mermaid: str


def summary(engine: FrameworkEngine) -> FrameworkSummary:
    """The list entry for a framework."""
    spec = engine.spec
    return FrameworkSummary(
        id=spec.id, name=spec.name, description=spec.description, stages=engine.stage_ids
    )


def public(engine: FrameworkEngine) -> FrameworkPublic:
    """The full public view of a framework."""
    spec = engine.spec
    stages = []
    for name, step, stage in spec.leaves():
        nested = name != stage.id
        stages.append(
            StagePublic(
                id=name,
                title=step.title,
                parent=stage.id if nested else None,
                parent_title=stage.title if nested else None,
                purpose=step.purpose,
                signals=[s.value for s in step.signals],
                moves=list(step.moves),
                questions=list(step.questions),
                pitfalls=list(step.pitfalls),
                action=step.action,
            )
        )
    transitions = [
        TransitionPublic(source=src, dest=t.dest, kind=t.kind.value, guards=list(t.guards))
        for t in spec.transitions
        for src in t.source
    ]
    return FrameworkPublic(
        **summary(engine).model_dump(),
        source=spec.source,
        initial=engine.start().stage,
        final=engine.final_stage(),
        stage_details=stages,
        transitions=transitions,
        mermaid=engine_diagram(engine),
    )


@router.get("")
async def list_frameworks(catalog: CatalogDep) -> list[FrameworkSummary]:
    """Every framework: the built-in four and a course's own."""
    return [summary(engine) for engine in catalog.frameworks.values()]


@router.get("/{framework_id}", responses={404: {"description": "No such framework"}})
async def read_framework(framework_id: str, catalog: CatalogDep) -> FrameworkPublic:
    """One framework with its stages, transitions, canonical questions and diagram."""
    engine = catalog.frameworks.get(framework_id)
    if engine is None:
        raise HTTPException(
            404, f"No framework '{framework_id}'. Known: {', '.join(catalog.frameworks)}."
        )
    return public(engine)
