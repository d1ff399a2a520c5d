"""`empowerer score`: FILE, `-` (JSON lines), `--text`, and bad input (through the real coder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scoring_builders import S, advice_session, good_session

from server.cli import main


def _transcript(rows: list, framework: str | None = "grow", scenario: str | None = S) -> dict:  # type: ignore[type-arg]
    return {
        "framework": framework,
        "scenario": scenario,
        "turns": [{"speaker": t.speaker, "text": t.text} for t in rows],
    }


def _write(tmp_path: Path, data: object, name: str = "t.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_score_file_prints_the_report_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, _transcript(good_session()), "good.json")
    advice = _write(tmp_path, _transcript(advice_session()), "advice.json")
    assert main(["score", good]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["score", advice]) == 0
    second = json.loads(capsys.readouterr().out)
    assert 0 <= second["overall"]["score"] <= 100 and first["overall"]["band"] == "good"
    assert first["overall"]["score"] - second["overall"]["score"] >= 30
    assert second["feedback"][0]["kind"] == "safety"
    assert {"metrics", "feedback", "micro", "framework", "outcome"} <= set(first)


def test_score_without_framework_or_scenario_scores_the_micro_skills(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, _transcript(good_session(), None, None))
    assert main(["score", path]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["framework"] is None and report["outcome"] is None
    assert report["overall"]["band"] in ("fair", "good")


def test_score_text_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, _transcript(advice_session()))
    assert main(["score", path, "--text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Overall: ") and "A risk cue was missed" in out
    assert "Could say:" in out and "MITI 4.2.1" in out


def test_score_dash_writes_one_report_per_line_and_an_error_line_for_a_bad_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    lines = [
        json.dumps(_transcript(good_session())),
        "not json",
        json.dumps(
            {"framework": None, "scenario": None, "turns": [{"speaker": "coach", "text": "x"}]}
        ),
        json.dumps(_transcript(advice_session(), None, None)),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["score", "-"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 4
    assert "overall" in out[0] and "overall" in out[3]
    assert "error" in out[1] and "speaker" in out[2]["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (
            {"framework": "nope", "scenario": None, "turns": [{"speaker": "mentor", "text": "Hi"}]},
            "unknown framework 'nope'",
        ),
        (
            {"framework": None, "scenario": "nope", "turns": [{"speaker": "mentor", "text": "Hi"}]},
            "unknown scenario 'nope'",
        ),
        (
            {"framework": None, "scenario": None, "turns": [{"speaker": "boss", "text": "Hi"}]},
            "speaker must be",
        ),
        (
            {"framework": None, "scenario": None, "turns": [{"speaker": "mentor", "text": "  "}]},
            "text must be a non-empty string",
        ),
        ({"framework": None, "scenario": None, "turns": []}, "non-empty list"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: object, message: str
) -> None:
    assert main(["score", _write(tmp_path, content)]) != 0
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_non_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "/no/such/transcript.json"]) != 0
    assert "cannot read" in capsys.readouterr().err
