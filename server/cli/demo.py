"""`empowerer demo SCENARIO --framework ID [--seed N] [--json]`: an exemplar conversation.

The program plays an empowerer mentor against the simulated mentee. Without `--json`: a readable
transcript with each mentor turn's codes, the stage annotations (which moves were made and why)
and the score. With `--json`: `{"turns": [...], "report": {...}, "annotations": [...]}`, the
report exactly as `empowerer score` gives it for the same words.
"""

from __future__ import annotations

import argparse
from typing import Any

from server.cli.common import catalog_or_exit, fail, print_json


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="an exemplar conversation: the program as an empowerer mentor",
        description="Play an empowerer mentor against a scenario's mentee and print the coded, "
        "scored and annotated conversation.",
    )
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="scenario id (see `empowerer scenarios`)"
    )
    parser.add_argument("--framework", "-f", required=True, help="framework id (grow, egan, ...)")
    parser.add_argument("--seed", type=int, default=0, help="the mentee's seed (default 0)")
    parser.add_argument("--json", action="store_true", help="JSON instead of a readable transcript")
    parser.set_defaults(handler=run_demo)


def render(exemplar: Any, engine: Any) -> str:
    """The readable transcript: stage headings with their annotations, turns with codes."""
    from server.scoring.render import render_text

    by_turn = {t.index: t for t in exemplar.turns}
    lines: list[str] = []
    for visit in exemplar.annotations:
        lines.append(f"== {visit.title} ({visit.via}, turns {visit.from_turn}-{visit.to_turn})")
        notes: dict[int, list[str]] = {}
        for note in visit.moves:
            notes.setdefault(note.turn, []).append(note.why)
        end = visit.to_turn if visit.to_turn is not None else exemplar.turns[-1].index
        start = 0 if visit is exemplar.annotations[0] else visit.from_turn
        for index in range(start, end + 1):
            turn = by_turn.get(index)
            if turn is None:
                continue
            who = "Mentor" if turn.speaker == "mentor" else "Mentee"
            lines.append(f"[{turn.index}] {who}: {turn.text}")
            if turn.coding is not None:
                codes = ", ".join(
                    h.code.value + (f" ({h.detail})" if h.detail else "") for h in turn.coding.codes
                )
                lines.append(f"      codes: {codes}")
            for why in notes.get(index, []):
                lines.append(f"      why: {why}")
        lines.append("")
    lines.append(render_text(exemplar.report).rstrip())
    return "\n".join(lines) + "\n"


def run_demo(args: argparse.Namespace) -> int:
    from server.exemplar import exemplar_json, run_exemplar

    catalog = catalog_or_exit()
    scenarios = catalog.scenarios
    scenario = scenarios.get(args.scenario)
    if scenario is None:
        known = ", ".join(sorted(scenarios)) or "none"
        return fail(f"unknown scenario {args.scenario!r} (known: {known})")
    engine = catalog.frameworks.get(args.framework)
    if engine is None:
        known = ", ".join(sorted(catalog.frameworks)) or "none"
        return fail(f"unknown framework {args.framework!r} (known: {known})")
    exemplar = run_exemplar(scenario, engine, seed=args.seed)
    if args.json:
        print_json(exemplar_json(exemplar, engine))
    else:
        print(render(exemplar, engine), end="")
    return 0
