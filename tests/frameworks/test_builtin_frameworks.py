"""Every framework file: loads, every stage reachable, every move fires, guards block, skips recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.frameworks import Facts, FrameworkEngine, FrameworkState, MoveKind, load_file
from server.frameworks.guards import GUARDS
from server.frameworks.loader import builtin_dir, framework_files

FILES = framework_files(builtin_dir())
ALL_TRUE = Facts.satisfied()


def at(engine: FrameworkEngine, stage: str) -> FrameworkState:
    """A state placed directly in `stage` (as a restore from storage would)."""
    return engine.start().model_copy(update={"stage": stage})


def test_the_four_builtin_frameworks_are_there() -> None:
    assert sorted(p.stem for p in FILES) == ["clear", "egan", "grow", "oskar"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_loads_and_validates(path: Path) -> None:
    engine = load_file(path)
    assert engine.id == path.stem
    assert len(engine.stage_ids) >= 4
    for name in engine.stage_ids:
        step = engine.steps[name]
        assert 4 <= len(step.questions) <= 8, name
        assert step.pitfalls and step.moves and step.signals, name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_stage_is_reachable_from_the_initial_one(path: Path) -> None:
    engine = load_file(path)
    start = engine.start()
    seen, todo = {start.stage}, [start]
    while todo:
        state = todo.pop()
        for dest in engine.stage_ids:
            result = engine.move(state, dest, ALL_TRUE, turn=1)
            if result.accepted and result.state.stage not in seen:
                seen.add(result.state.stage)
                todo.append(result.state)
    assert seen == set(engine.stage_ids)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_declared_transition_fires_from_source_to_dest(path: Path) -> None:
    engine = load_file(path)
    for (source, dest), kind in engine.kinds.items():
        result = engine.move(at(engine, source), dest, ALL_TRUE, turn=3)
        assert result.accepted, (source, dest, result.reason)
        assert result.state.stage == dest
        assert result.kind is kind
        assert result.state.visits[-1].via == kind.value


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_guard_blocks_what_it_should(path: Path) -> None:
    engine = load_file(path)
    guarded = [(t, src) for t in engine.spec.transitions if t.guards for src in t.source]
    assert guarded, "every framework guards some move"
    for transition, source in guarded:
        result = engine.move(at(engine, source), transition.dest, Facts(), turn=2)
        assert not result.accepted
        assert result.state.stage == source
        assert result.guard == transition.guards[0]
        assert result.reason == GUARDS[transition.guards[0]].refusal
        refused = result.state.refused[-1]
        assert (refused.source, refused.dest, refused.guard) == (
            source,
            transition.dest,
            result.guard,
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_skip_is_recorded_as_a_skip(path: Path) -> None:
    engine = load_file(path)
    skips = [
        (src, t.dest)
        for t in engine.spec.transitions
        if t.kind is MoveKind.SKIP
        for src in t.source
    ]
    assert skips, "every framework allows skipping ahead"
    source, dest = skips[0]
    result = engine.move(at(engine, source), dest, ALL_TRUE, turn=4)
    assert result.accepted and result.kind is MoveKind.SKIP
    assert result.state.visits[-1].via == "skip"
    lo, hi = engine.order[source], engine.order[dest]
    assert engine.skipped(result.state) == engine.stage_ids[lo + 1 : hi]


def test_an_undeclared_move_is_refused_with_where_you_can_go() -> None:
    oskar = load_file(builtin_dir() / "oskar.yaml")
    assert ("outcome", "review") not in oskar.kinds
    result = oskar.move(oskar.start(), "review", ALL_TRUE, turn=1)
    assert not result.accepted and result.guard is None
    assert result.reason is not None and "from here you can go to: Scaling" in result.reason
    assert result.state.refused[-1].dest == "review"


def test_the_classic_error_story_not_heard_before_the_way_forward_is_refused() -> None:
    egan = load_file(builtin_dir() / "egan.yaml")
    result = egan.move(egan.start(), "stage3_strategies", Facts(goal_stated=True), turn=2)
    assert not result.accepted
    assert result.guard == "story_heard"


def test_a_step_or_stage_name_resolves_to_its_full_name() -> None:
    egan = load_file(builtin_dir() / "egan.yaml")
    assert egan.resolve_stage("stage2") == "stage2_possibilities"
    assert egan.resolve_stage("blindspots") == "stage1_blindspots"
    assert egan.resolve_stage("nowhere") is None
    result = egan.move(egan.start(), "nowhere", ALL_TRUE, turn=1)
    assert not result.accepted and result.reason is not None and "stage1_story" in result.reason
