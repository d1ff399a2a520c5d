"""`empowerer frameworks [show ID [--json] | diagram ID]`."""

from __future__ import annotations

import argparse
from typing import Any

from server.cli.common import catalog_or_exit, fail, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("frameworks", help="list, show or draw the frameworks")
    parser.set_defaults(handler=run_list)
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    show = sub.add_parser("show", help="one framework in full")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)
    diagram = sub.add_parser("diagram", help="a Mermaid stateDiagram-v2 of one framework")
    diagram.add_argument("id")
    diagram.set_defaults(handler=run_diagram)


def run_list(args: argparse.Namespace) -> int:
    catalog = catalog_or_exit()
    for engine in catalog.frameworks.values():
        print(f"{engine.id:<10} {engine.spec.name:<24} {' > '.join(engine.stage_ids)}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from server.api.frameworks import public

    catalog = catalog_or_exit()
    engine = catalog.frameworks.get(args.id)
    if engine is None:
        return fail(f"no framework '{args.id}' (known: {', '.join(catalog.frameworks)})")
    view = public(engine)
    if args.json:
        print_json(view.model_dump())
        return 0
    print(f"{view.name} ({view.id})\n{view.description}\n")
    for stage in view.stage_details:
        title = f"{stage.parent_title}: {stage.title}" if stage.parent_title else stage.title
        print(f"## {title} [{stage.id}]{'  (action)' if stage.action else ''}\n{stage.purpose}")
        print("  Signalled by: " + "; ".join(stage.moves))
        for question in stage.questions:
            print(f"  - {question}")
        print("  Pitfalls: " + " ".join(stage.pitfalls) + "\n")
    print("Moves:")
    for t in view.transitions:
        guards = f" [{', '.join(t.guards)}]" if t.guards else ""
        print(f"  {t.source} -> {t.dest} ({t.kind}){guards}")
    return 0


def run_diagram(args: argparse.Namespace) -> int:
    from server.frameworks.diagram import engine_diagram

    catalog = catalog_or_exit()
    engine = catalog.frameworks.get(args.id)
    if engine is None:
        return fail(f"no framework '{args.id}' (known: {', '.join(catalog.frameworks)})")
    print(engine_diagram(engine), end="")
    return 0
