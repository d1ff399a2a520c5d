"""The command-line contract of `empowerer risk`: JSON lines in, one JSON line out for each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from server.cli import main


def run_risk(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", "risk", *args],
        input=stdin, capture_output=True, timeout=60, check=False,
    )  # fmt: skip


def test_one_answer_line_per_input_line_in_order() -> None:
    lines = [{"text": "I want to die"}, {"text": "I'm knackered"}, {"text": "what's the point"}]
    done = run_risk(b"".join(json.dumps(x).encode() + b"\n" for x in lines))
    assert done.returncode == 0
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [a["risk"] for a in answers] == ["high", "none", "possible"]
    assert all(set(a) == {"risk", "reasons"} for a in answers)
    assert answers[0]["reasons"] == ["explicit suicidal ideation: 'want to die'"]


def test_bad_lines_get_an_error_and_the_rest_go_on() -> None:
    stdin = b'not json\n{"text": 5}\n["text"]\n{"txt": "x"}\n\xff\xfe\n\n{"text": "fine"}\n'
    done = run_risk(stdin)
    assert done.returncode == 0
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(answers) == 6  # the blank line is skipped
    assert all("error" in a and set(a) == {"error"} for a in answers[:5])
    assert answers[0]["error"].startswith("line 1: not valid JSON")
    assert answers[5] == {"risk": "none", "reasons": []}


def test_non_ascii_text_is_kept_readable() -> None:
    done = run_risk('{"text": "I can\u2019t go on"}\n'.encode())
    assert json.loads(done.stdout)["risk"] == "possible"


def test_support_prints_the_card(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["risk", "--support"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert any("116 123" in s["contact"] for s in card["services"])


def test_support_with_a_bad_file_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "support.yaml"
    bad.write_text("title: x\n", encoding="utf-8")
    monkeypatch.setenv("EMPOWERER_SUPPORT_FILE", str(bad))
    from server.config import get_settings

    get_settings.cache_clear()
    assert main(["risk", "--support"]) == 2
    assert "support.yaml: message: Field required" in capsys.readouterr().err
