"""`empowerer practice --jsonl` (the line protocol for tools) and `empowerer scenarios`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import main
from server.scenarios import load_all

STATE_KEYS = {"trust", "disclosed", "units_total", "core_reached", "committed"}


def practice(*extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "practice",
            "fy2-nights-exhaustion",
            "--framework",
            "grow",
            "--seed",
            "2",
            "--jsonl",
            *extra,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def ask(proc: subprocess.Popen[str], line: str) -> dict[str, object]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    answer: dict[str, object] = json.loads(proc.stdout.readline())
    return answer


def test_jsonl_protocol_answers_each_line_at_once() -> None:
    proc = practice()
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert set(first) == {"reply", "state"} and first["reply"]
        assert set(first["state"]) == STATE_KEYS and first["state"]["disclosed"] == []
        # Each answer is read before the next line is written: it was flushed at once.
        turn = ask(proc, json.dumps({"text": "What's been happening?"}))
        assert {"reply", "codes", "stage", "state"} <= set(turn)
        assert turn["codes"] == ["open_question"] and turn["stage"] == "goal"
        state = turn["state"]
        assert isinstance(state, dict) and set(state) == STATE_KEYS
        assert len(state["disclosed"]) == 1 and state["units_total"] == 8
        assert state["core_reached"] is False and state["committed"] is False
        assert 0 <= state["trust"] <= 1
        assert "error" in ask(proc, "not json")
        assert "error" in ask(proc, json.dumps({"text": ""}))
        assert "error" in ask(proc, json.dumps(["text"]))
        after = ask(proc, json.dumps({"text": "It sounds like the nights were relentless."}))
        assert after["codes"] and "reflection" in after["codes"]
    finally:
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_jsonl_transcript_is_reproducible() -> None:
    lines = "\n".join(
        json.dumps({"text": t})
        for t in ["Hi. What's on your mind?", "You should sleep more.", "Tell me more."]
    )
    outs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "server.cli",
                "practice",
                "fy2-nights-exhaustion",
                "--framework",
                "egan",
                "--seed",
                "4",
                "--jsonl",
            ],
            input=lines + "\n",
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for _ in range(2)
    ]
    assert outs[0] == outs[1] and len(outs[0].splitlines()) == 4


def test_unknown_scenario_or_framework_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["practice", "nobody", "--framework", "grow", "--jsonl"]) == 2
    assert "no scenario 'nobody'" in capsys.readouterr().err
    assert main(["practice", "fy2-nights-exhaustion", "--framework", "nope", "--jsonl"]) == 2
    assert "no framework 'nope'" in capsys.readouterr().err


def test_scenarios_json_lists_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {item["id"] for item in listed} == set(load_all())
    for item in listed:
        assert item["title"] and item["tags"]["category"] and item["tags"]["workwell"]


def test_scenarios_schema_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.json"
    assert main(["scenarios", "schema", str(target)]) == 0
    schema = json.loads(target.read_text())
    assert schema["additionalProperties"] is False
    assert {"persona", "layers", "commitment", "opening"} <= set(schema["required"])
