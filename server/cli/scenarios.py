"""`empowerer scenarios [--json]` lists the scenarios; `empowerer scenarios schema [PATH]` writes
the JSON Schema of a scenario file (default `scenarios/schema.json`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from server.cli.common import catalog_or_exit, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scenarios", help="list the scenarios, or write their schema")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=run_list)
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    schema = sub.add_parser("schema", help="write the JSON Schema of a scenario file")
    schema.add_argument("path", nargs="?", type=Path, help="where to write it ('-' for stdout)")
    schema.set_defaults(handler=run_schema)


def listing(spec: Any) -> dict[str, Any]:
    """One scenario as the `--json` list shows it."""
    return {
        "id": spec.id,
        "title": spec.title,
        "summary": spec.summary,
        "tags": spec.tags.model_dump(mode="json"),
        "level": spec.difficulty.level,
        "persona": {
            "name": spec.persona.name,
            "role": spec.persona.role,
            "profession": spec.persona.profession.value,
            "card": spec.persona.card,
        },
        "risk_cues": bool(spec.risk_cues),
        "signposting_needed": spec.signposting.needed,
    }


def run_list(args: argparse.Namespace) -> int:
    catalog = catalog_or_exit()
    specs = sorted(catalog.scenarios.values(), key=lambda s: s.id)
    if args.json:
        print_json([listing(spec) for spec in specs])
        return 0
    for spec in specs:
        print(f"{spec.id:<40} L{spec.difficulty.level} {spec.tags.category.value:<24} {spec.title}")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    from server.scenarios import builtin_dir, schema_text

    text = schema_text()
    if args.path is not None and str(args.path) == "-":
        print(text, end="")
        return 0
    path = args.path or builtin_dir() / "schema.json"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0
