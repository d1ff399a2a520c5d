"""`empowerer walkthrough --framework ID`: a private self-mentoring walkthrough in the terminal.

The program is the mentor, driven by the framework's stages. Type answers; `/back`, `/skip` and
`/pause` do what they say (`/pause` saves everything to a JSON file it names, resumable with
`--resume FILE`); `/help` lists them. Every answer passes the local risk check first: on a hit the
walkthrough pauses, the support card is printed plainly, and the words are not kept. At the end the
plan is printed and written to `plan.md` and `plan.ics` in `--out DIR` (default: this folder).
Nothing is sent anywhere and nothing is stored except the files named on screen.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from server.cli.common import catalog_or_exit, fail

HELP = (
    "Type your answer and press Enter. Commands: /back (previous stage), /skip (next stage), "
    "/pause (save and stop; resume later), /resume (carry on after a pause), /help."
)
SAVE_FORMAT = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "walkthrough",
        help="a private self-mentoring walkthrough: the program as mentor, your own plan",
        description="Walk through a framework with the program as your mentor. It asks, reflects "
        "and summarises, never advises, and ends with your plan (plan.md and plan.ics). " + HELP,
    )
    parser.add_argument("--framework", "-f", help="framework id (grow, clear, egan, oskar, ...)")
    parser.add_argument("--resume", type=Path, metavar="FILE", help="carry on from a saved file")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where the plan and any pause file go (default: this folder)",
    )
    parser.set_defaults(handler=run_walkthrough)


def support_text(card: Any) -> str:
    """The support card as plain lines."""
    lines = ["", "=" * 60, card.title.upper(), "", card.message, ""]
    for service in card.services:
        lines.append(f"* {service.name}: {service.contact}")
        lines.append(f"  {service.when}. {service.about}")
        if service.url:
            lines.append(f"  {service.url}")
    lines += ["=" * 60, ""]
    return "\n".join(lines)


def save(state: Any, created: date, folder: Path, path: Path | None) -> Path:
    """Write the walkthrough to a JSON file (the one it came from, or a new one); returns it."""
    if path is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"walkthrough-{state.framework}-{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": SAVE_FORMAT,
        "created": created.isoformat(),
        "state": state.model_dump(mode="json"),
    }
    path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load(path: Path) -> tuple[Any, date]:
    """A saved walkthrough: its state and the day it was started."""
    from server.walkthrough import WalkState

    body = json.loads(path.read_text(encoding="utf-8"))
    return WalkState.model_validate(body["state"]), date.fromisoformat(body["created"])


def finish(state: Any, engine: Any, created: date, out: Path, stream: TextIO) -> None:
    """Print the plan and write plan.md (and plan.ics when a step has a date)."""
    from server.walkthrough import to_ics, to_markdown

    markdown = to_markdown(state.plan, engine.spec.name, created)
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.md").write_text(markdown, encoding="utf-8")
    print("", markdown, sep="\n", file=stream)
    print(f"Your plan is in {out / 'plan.md'}", file=stream)
    ics = to_ics(state.plan, f"cli:{state.framework}:{created.isoformat()}")
    if ics is None:
        print("No step has a date, so there is no calendar reminder.", file=stream)
    else:
        (out / "plan.ics").write_bytes(ics.encode("utf-8"))
        print(f"A reminder for your first step is in {out / 'plan.ics'}", file=stream)


def run_walkthrough(args: argparse.Namespace) -> int:
    from server import walkthrough as guide
    from server.safety import check_risk, load_support

    catalog = catalog_or_exit()
    saved_to: Path | None = None
    if args.resume is not None:
        try:
            state, created = load(args.resume)
        except (OSError, ValueError, KeyError) as exc:
            return fail(f"cannot resume from {args.resume}: {exc}")
        saved_to = args.resume
    elif args.framework is None:
        return fail("say which framework: --framework ID (or --resume FILE)")
    else:
        state, created = None, date.today()
    fid = state.framework if state is not None else args.framework
    engine = catalog.frameworks.get(fid)
    if engine is None:
        return fail(
            f"unknown framework {fid!r}: choose one of {', '.join(sorted(catalog.frameworks))}"
        )
    out = sys.stdout
    if state is None:
        state, prompt = guide.start(engine)
        print(prompt.text, file=out)
        print(f"({HELP})", file=out)
    else:
        if state.status == "finished":
            finish(state, engine, created, args.out, out)
            return 0
        if state.status == "active":
            state, _ = guide.pause(engine, state)  # resume asks the pending question again
        state, prompt = guide.resume(engine, state)
        print(prompt.text, file=out)

    while True:
        print("> ", end="", file=out, flush=True)
        line = sys.stdin.readline()
        if not line:  # end of input: keep everything, as /pause does
            line = "/pause"
        text = line.strip()
        if not text:
            continue
        command = text.lower()
        try:
            if command == "/help":
                print(HELP, file=out)
                continue
            if command == "/pause":
                if state.status == "active":
                    state, prompt = guide.pause(engine, state)
                saved_to = save(state, created, args.out, saved_to)
                print(f"Paused. Saved to {saved_to}", file=out)
                print(f"Carry on later with: empowerer walkthrough --resume {saved_to}", file=out)
                return 0
            if command == "/resume":
                state, prompt = guide.resume(engine, state)
            elif command == "/back":
                state, prompt = guide.back(engine, state)
            elif command == "/skip":
                state, prompt = guide.skip(engine, state)
            elif command.startswith("/"):
                print(f"Unknown command {text}. {HELP}", file=out)
                continue
            elif state.status != "active":
                print("Type /resume to carry on, or /pause to save and stop here.", file=out)
                continue
            elif check_risk(text).flagged:
                state, prompt = guide.pause_for_support(engine, state)
                print(prompt.text, file=out)
                print(support_text(load_support()), file=out)
                print(
                    "When you're ready, type /resume to carry on, or /pause to stop here.", file=out
                )
                continue
            else:
                state, prompt = guide.answer(engine, state, text, date.today())
        except ValueError as exc:
            print(str(exc), file=out)
            continue
        print(prompt.text, file=out)
        if state.status == "finished":
            finish(state, engine, created, args.out, out)
            if saved_to is not None and saved_to.exists():
                saved_to.unlink()  # the plan files are what is kept now
                print(
                    f"(Removed the pause file {saved_to}: the plan files are what is kept.)",
                    file=out,
                )
            return 0
