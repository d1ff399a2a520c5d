"""`empowerer code`: code mentor turns given as JSON lines on stdin, one JSON line out per line in.

Each input line is `{"text": "...", "context": "the mentee's previous turn" or null}`. Each output
line is exactly `CodedTurn.to_json()`, or `{"error": "..."}` for a line that cannot be coded (not
JSON, not an object, no text, blank); the run goes on. Output is flushed in batches unless stdin
is a terminal. The exit status is 0 unless stdin cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

BATCH = 500

Coder = Callable[[str, "str | None"], dict[str, Any]]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "code",
        help="code mentor turns (JSON lines on stdin) with micro-skills",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=run)


def _error(message: str) -> dict[str, Any]:
    return {"error": message}


def code_line(raw: bytes | str, coder: Coder) -> dict[str, Any]:
    """The output object for one input line."""
    try:
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        return _error("not UTF-8 text")
    if not line.strip():
        return _error("blank line: expected a JSON object with 'text'")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return _error(f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(data, dict):
        return _error("not a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return _error("'text' must be a non-empty string")
    context = data.get("context")
    if context is not None and not isinstance(context, str):
        return _error("'context' must be a string or null")
    return coder(text, context)


def code_lines(lines: Iterable[bytes | str], coder: Coder) -> Iterator[str]:
    """One JSON output line per input line, in order."""
    for line in lines:
        yield json.dumps(code_line(line, coder), ensure_ascii=False)


def _write(out: TextIO, results: Iterable[str], interactive: bool) -> None:
    batch: list[str] = []
    for result in results:
        batch.append(result)
        if interactive or len(batch) >= BATCH:
            out.write("\n".join(batch) + "\n")
            out.flush()
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
        out.flush()


def run(args: argparse.Namespace) -> int:
    from server.coding import code_turn

    def coder(text: str, context: str | None) -> dict[str, Any]:
        return code_turn(text, context).to_json()

    stdin = sys.stdin.buffer
    try:
        interactive = stdin.isatty()
    except (OSError, ValueError):
        interactive = False
    try:
        _write(sys.stdout, code_lines(stdin, coder), interactive)
    except OSError as exc:
        print(f"empowerer: cannot read stdin ({exc})", file=sys.stderr)
        return 1
    return 0
