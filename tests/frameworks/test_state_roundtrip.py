"""A session's framework state survives save -> JSON -> restore, nested stages included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.frameworks import Facts, FrameworkState, load_file
from server.frameworks.loader import builtin_dir, framework_files

ALL_TRUE = Facts.satisfied()


@pytest.mark.parametrize("path", framework_files(builtin_dir()), ids=lambda p: p.stem)
def test_state_survives_json_and_continues_identically(path: Path) -> None:
    engine = load_file(path)
    state = engine.start()
    state = engine.move(state, engine.stage_ids[-1], Facts(), turn=1).state  # refused, recorded
    for turn, dest in enumerate(engine.stage_ids[1:], start=2):
        state = engine.move(state, dest, ALL_TRUE, turn=turn).state
    back = engine.move(state, engine.stage_ids[1], ALL_TRUE, turn=99)

    saved = json.dumps(state.model_dump(mode="json"))
    restored = FrameworkState.model_validate(json.loads(saved))
    assert restored == state
    assert restored.refused and restored.visits[-1].stage == engine.stage_ids[-1]
    again = engine.move(restored, engine.stage_ids[1], ALL_TRUE, turn=99)
    assert again.state == back.state


def test_a_restored_nested_state_fires_inside_its_stage() -> None:
    egan = load_file(builtin_dir() / "egan.yaml")
    state = FrameworkState.model_validate_json(
        '{"framework":"egan","stage":"stage2_agenda","visits":[],"refused":[]}'
    )
    result = egan.move(state, "stage2_commitment", Facts(goal_stated=True), turn=7)
    assert result.accepted and result.state.stage == "stage2_commitment"
