"""`empowerer risk`: the local risk check over JSON lines.

Reads `{"text": "..."}` lines on stdin and writes one line each on stdout:
`{"risk": "none" | "possible" | "high", "reasons": [...]}`, or `{"error": "..."}` for a line that
is not such an object (and goes on). Blank lines are skipped. Exit 0 unless stdin cannot be read.
`empowerer risk --support` prints the support card instead (checking EMPOWERER_SUPPORT_FILE).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO, TextIO


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "risk", help="check texts for risk to the writer (JSON lines on stdin and stdout)"
    )
    parser.add_argument(
        "--support", action="store_true", help="print the support card as JSON and exit"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.support:
        return _print_support()
    from server.safety import check_risk

    def check(text: str) -> dict[str, Any]:
        return check_risk(text).model_dump()

    try:
        answer_lines(sys.stdin.buffer, sys.stdout, check)
    except OSError as exc:
        print(f"empowerer: cannot read stdin ({exc})", file=sys.stderr)
        return 2
    return 0


def answer_lines(
    source: BinaryIO | Iterable[bytes], out: TextIO, check: Callable[[str], dict[str, Any]]
) -> None:
    """One output line per non-blank input line, flushed as it goes (usable as a co-process)."""
    for number, raw in enumerate(source, start=1):
        if not raw.strip():
            continue
        answer = _answer(raw, number, check)
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()


def _answer(raw: bytes, number: int, check: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return {"error": f"line {number}: not UTF-8"}
    except json.JSONDecodeError as exc:
        return {"error": f"line {number}: not valid JSON ({exc.msg})"}
    if not isinstance(data, dict) or "text" not in data:
        return {"error": f'line {number}: expected an object with a "text" field'}
    if not isinstance(data["text"], str):
        return {"error": f'line {number}: "text" must be a string'}
    return check(data["text"])


def _print_support() -> int:
    from server.cli.common import fail, print_json
    from server.datafiles import DataFileError
    from server.safety import load_support

    try:
        card = load_support()
    except DataFileError as exc:
        return fail(str(exc))
    print_json(card.model_dump(exclude_none=True))
    return 0
