"""The framework commands and routes people and tools use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from httpx import ASGITransport, AsyncClient

from server.cli import main
from server.frameworks.loader import builtin_dir


def test_frameworks_lists_the_four(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    for fid in ("egan", "grow", "clear", "oskar"):
        assert fid in out


def test_show_json_has_stages_questions_and_transitions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "show", "egan", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["initial"] == "stage1_story" and data["final"] == "stage3_plan"
    assert len(data["stage_details"]) == 9
    assert all(4 <= len(s["questions"]) <= 8 for s in data["stage_details"])
    assert {t["kind"] for t in data["transitions"]} == {"forward", "back", "skip"}


def test_show_unknown_framework_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "show", "nope"]) == 2
    assert "no framework 'nope'" in capsys.readouterr().err


def test_diagram_grow_is_mermaid_with_the_four_stages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "diagram", "grow"]) == 0
    out = capsys.readouterr().out
    assert "stateDiagram-v2" in out
    for stage in ("goal", "reality", "options", "will"):
        assert f"as {stage}" in out
    assert "reality --> options: forward [story_heard]" in out


def test_diagram_of_egan_nests_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks", "diagram", "egan"]) == 0
    out = capsys.readouterr().out
    assert "state stage1 {" in out and "stage1_story" in out


def test_validate_passes_builtins_and_fails_a_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(builtin_dir())]) == 0
    data = yaml.safe_load((builtin_dir() / "grow.yaml").read_text())
    data["id"] = "broken"
    data["transitions"][0]["guards"] = ["no_such_guard"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "unknown guard 'no_such_guard'" in out and str(broken) in out


def test_validate_a_missing_path_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file" in capsys.readouterr().out


async def test_api_health_and_frameworks(tmp_path: Path) -> None:
    from server.app import create_app
    from server.config import Settings

    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'api.db'}"))
    async with app.router.lifespan_context(app):
        transport = ASGITransport(app=app)
        async with AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/api/health")).json()["status"] == "ok"
            listed = (await client.get("/api/frameworks")).json()
            assert [f["id"] for f in listed] == ["clear", "egan", "grow", "oskar"]
            grow = (await client.get("/api/frameworks/grow")).json()
            assert grow["stages"] == ["goal", "reality", "options", "will"]
            assert grow["mermaid"].count("stateDiagram-v2") == 1
            missing = await client.get("/api/frameworks/nope")
            assert missing.status_code == 404 and "nope" in missing.json()["detail"]
