"""`empowerer score FILE [--text]` and `empowerer score -` (one transcript a line on stdin)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from server.catalog import Catalog
from server.cli.common import catalog_or_exit, fail, print_json
from server.datafiles import DataFileError

if TYPE_CHECKING:
    from server.scoring.models import Report

USAGE_SHAPE = (
    '{"framework": ID or null, "scenario": ID or null, '
    '"turns": [{"speaker": "mentor" | "mentee", "text": "..."}]}'
)


class TranscriptError(ValueError):
    """A transcript that cannot be scored; the message says what to fix."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a transcript: the session report as JSON (or text)",
        description=f"Score a transcript. FILE holds {USAGE_SHAPE}; '-' reads one such "
        "transcript a line on stdin and writes one report a line.",
    )
    parser.add_argument("file", metavar="FILE", help="a transcript JSON file, or - for JSON lines")
    parser.add_argument("--text", action="store_true", help="a readable report instead of JSON")
    parser.set_defaults(handler=run_score)


def _turns(data: dict[str, Any]) -> list[tuple[str, str]]:
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        raise TranscriptError('\'turns\' must be a non-empty list of {"speaker", "text"}')
    out: list[tuple[str, str]] = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise TranscriptError(f"turns[{i}] must be an object with 'speaker' and 'text'")
        speaker, text = turn.get("speaker"), turn.get("text")
        if speaker not in ("mentor", "mentee"):
            raise TranscriptError(
                f"turns[{i}].speaker must be 'mentor' or 'mentee', not {speaker!r}"
            )
        if not isinstance(text, str) or not text.strip():
            raise TranscriptError(f"turns[{i}].text must be a non-empty string")
        out.append((speaker, text.strip()))
    return out


def _pick(table: dict[str, Any], key: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, str) or value not in table:
        known = ", ".join(sorted(table)) or "none"
        raise TranscriptError(f"unknown {key} {value!r} (known: {known})")
    return table[value]


def score_data(data: Any, catalog: Catalog) -> Report:
    """The report for one parsed transcript, or TranscriptError."""
    from server.scoring import annotate, build_report

    if not isinstance(data, dict):
        raise TranscriptError(f"a transcript must be a JSON object: {USAGE_SHAPE}")
    engine = _pick(catalog.frameworks, "framework", data.get("framework"))
    scenario = _pick(catalog.scenarios, "scenario", data.get("scenario"))
    turns, state = annotate(_turns(data), engine=engine, scenario=scenario)
    return build_report(turns, engine=engine, scenario=scenario, framework_state=state)


def _read_file(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise TranscriptError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TranscriptError(f"{path} is not valid JSON: {exc}") from exc


def _run_lines(catalog: Catalog, text: bool) -> int:
    from server.scoring.render import render_text

    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            report = score_data(json.loads(line), catalog)
        except json.JSONDecodeError as exc:
            print(json.dumps({"error": f"not valid JSON: {exc}"}), flush=True)
            continue
        except (TranscriptError, ValueError) as exc:
            print(json.dumps({"error": str(exc)}), flush=True)
            continue
        if text:
            print(render_text(report), flush=True)
        else:
            print(json.dumps(report.model_dump(mode="json"), ensure_ascii=False), flush=True)
    return 0


def run_score(args: argparse.Namespace) -> int:
    from server.scoring.render import render_text

    catalog = catalog_or_exit()
    if args.file == "-":
        return _run_lines(catalog, args.text)
    try:
        report = score_data(_read_file(args.file), catalog)
    except (TranscriptError, DataFileError) as exc:
        return fail(str(exc))
    if args.text:
        print(render_text(report), end="")
    else:
        print_json(report.model_dump(mode="json"))
    return 0
