"""`empowerer demo`: a readable transcript, `--json` in the shape tools rely on, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.cli import main


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_demo_json_has_turns_report_and_annotations_shaped_as_score_gives_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo = _json(capsys, ["demo", "fy2-nights-exhaustion", "--framework", "grow", "--json"])
    turns = demo["turns"]
    assert isinstance(turns, list) and turns[0]["speaker"] == "mentee"
    mentor = [t for t in turns if t["speaker"] == "mentor"]
    assert all({"text", "stage", "stage_title", "codes", "primary"} <= set(t) for t in mentor)
    assert all(isinstance(t["codes"], list) and t["codes"] for t in mentor)
    report = demo["report"]
    assert isinstance(report, dict) and report["overall"]["band"] == "good"
    annotations = demo["annotations"]
    assert isinstance(annotations, list) and annotations[0]["moves"][0]["move"] == "contract"

    transcript = tmp_path / "demo.json"
    plain = [{"speaker": t["speaker"], "text": t["text"]} for t in turns]
    transcript.write_text(
        json.dumps({"framework": "grow", "scenario": "fy2-nights-exhaustion", "turns": plain})
    )
    scored = _json(capsys, ["score", str(transcript)])
    assert set(scored) == set(report)
    metrics, overall = scored["metrics"], scored["overall"]
    assert isinstance(metrics, dict) and isinstance(overall, dict)
    assert set(metrics) == set(report["metrics"])
    assert overall["band"] == "good"


def test_demo_text_shows_codes_and_why_by_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "gp-drinking", "-f", "egan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== Current picture: The story")
    assert "codes: " in out and "why: Contracted briefly" in out
    assert "Summary before moving on" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "no-such-scenario", "-f", "grow"], "unknown scenario 'no-such-scenario'"),
        (["demo", "gp-drinking", "-f", "nope"], "unknown framework 'nope'"),
    ],
)
def test_unknown_ids_exit_non_zero_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) != 0
    captured = capsys.readouterr()
    assert message in captured.err and "known:" in captured.err
    assert captured.out == ""
