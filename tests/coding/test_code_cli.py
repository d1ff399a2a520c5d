"""`empowerer code`: the JSON-lines contract other tools rely on."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from server.cli import main
from server.coding import code_turn


class _Stdin(io.TextIOWrapper):
    """A text stdin over bytes, like the real one (the command reads `sys.stdin.buffer`)."""


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: bytes
) -> tuple[int, list[str]]:
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(data), encoding="utf-8"))
    status = main(["code"])
    return status, capsys.readouterr().out.splitlines()


def test_one_output_line_per_input_line_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"text": "Have you tried talking to her?", "context": "My boss shouts at me."}),
        "not json",
        "",
        json.dumps([1, 2]),
        json.dumps({"text": ""}),
        json.dumps({"context": "no text"}),
        json.dumps({"text": 5}),
        json.dumps({"text": "Tell me more.", "context": 7}),
        json.dumps({"text": "So you feel stuck.", "context": None}),
    ]
    status, out = _run(monkeypatch, capsys, ("\n".join(lines) + "\n").encode())
    assert status == 0
    assert len(out) == len(lines)
    parsed = [json.loads(line) for line in out]
    assert (
        parsed[0] == code_turn("Have you tried talking to her?", "My boss shouts at me.").to_json()
    )
    assert all(set(p) == {"error"} and p["error"] for p in parsed[1:8])
    assert parsed[8] == code_turn("So you feel stuck.").to_json()


def test_a_line_that_is_not_utf8_gets_an_error_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b'{"text": "caf\xe9"}\n{"text": "What else?"}\n'
    status, out = _run(monkeypatch, capsys, data)
    assert status == 0
    assert "error" in json.loads(out[0])
    assert json.loads(out[1])["primary"] == "open_question"


def test_a_last_line_without_a_newline_is_coded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(monkeypatch, capsys, b'{"text": "What else?"}')
    assert status == 0
    assert [json.loads(line)["primary"] for line in out] == ["open_question"]


def test_the_installed_command_codes_a_pipe() -> None:
    lines = [
        json.dumps({"text": "What could you do about the rota?", "context": f"Week {i} again."})
        for i in range(600)
    ]
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "code"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 600
    assert {o["stage_intent"] for o in out} == {"options"}
