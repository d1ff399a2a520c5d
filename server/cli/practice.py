"""`empowerer practice ID --framework FW [--seed N] [--jsonl]`: practise against the mentee.

Interactive: a terminal chat showing the reply, the codes of your turn and the stage. With
`--jsonl`, a line protocol for tools: first `{"reply": opening, "state": {...}}`, then for each
stdin line `{"text": "..."}` one line, flushed at once:
`{"reply", "codes", "stage", "state": {"trust", "disclosed", "units_total", "core_reached",
"committed"}}`. A bad line gets `{"error": "..."}` and the run goes on.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from server.cli.common import catalog_or_exit, fail


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("practice", help="practise a conversation with a mentee")
    parser.add_argument("id", help="scenario id (see `empowerer scenarios`)")
    parser.add_argument("--framework", "-f", required=True, help="framework id (grow, egan, ...)")
    parser.add_argument("--seed", type=int, default=0, help="the mentee's seed (default 0)")
    parser.add_argument("--jsonl", action="store_true", help="JSON lines on stdin and stdout")
    parser.set_defaults(handler=run)


class Session:
    """A practice session held in memory by the CLI."""

    def __init__(self, scenario: Any, engine: Any, seed: int) -> None:
        from server.practice import start

        self.scenario, self.engine = scenario, engine
        self.state, opening = start(scenario, engine, seed)
        self.history = [opening]

    @property
    def opening(self) -> str:
        return str(self.history[0].text)

    def say(self, text: str) -> Any:
        from server.practice import take_turn

        outcome = take_turn(self.scenario, self.engine, self.state, self.history, text)
        self.state = outcome.state
        self.history += [outcome.mentor, outcome.mentee]
        return outcome

    def public(self) -> dict[str, object]:
        from server.practice import public_state

        return public_state(self.scenario, self.state)


def _codes(outcome: Any) -> list[str]:
    coding = outcome.mentor.coding
    return [hit.code.value for hit in coding.codes] if coding else []


def _emit(out: TextIO, data: dict[str, Any]) -> None:
    out.write(json.dumps(data, ensure_ascii=False) + "\n")
    out.flush()


def _text_of(line: str) -> str:
    """The text of one protocol line; ValueError says what is wrong with it."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ValueError('expected an object like {"text": "..."}')
    text: str = data["text"]
    if not text.strip():
        raise ValueError("text is empty")
    if "\x00" in text:
        raise ValueError("text holds a NUL byte")
    return text


def run_jsonl(session: Session, lines: TextIO, out: TextIO) -> int:
    """The line protocol."""
    from server.practice import PracticeError

    _emit(out, {"reply": session.opening, "state": session.public()})
    for line in lines:
        if not line.strip():
            continue
        try:
            outcome = session.say(_text_of(line))
        except (ValueError, PracticeError) as exc:
            _emit(out, {"error": str(exc)})
            continue
        _emit(
            out,
            {
                "reply": outcome.mentee.text,
                "codes": _codes(outcome),
                "stage": outcome.state.framework_state.stage,
                "nudge": outcome.nudge,
                "state": session.public(),
            },
        )
    return 0


def run_chat(session: Session, engine: Any) -> int:
    """The interactive terminal chat."""
    spec = session.scenario
    print(f"{spec.title}\n{spec.persona.name}, {spec.persona.role}\n{spec.persona.card}\n")
    print(f"Framework: {engine.spec.name}. Type your turn; an empty line or Ctrl-D ends.\n")
    print(f"[{engine.title(session.state.framework_state.stage)}]")
    print(f"{spec.persona.name}: {session.opening}\n")
    while True:
        try:
            text = input("you> ").strip()
        except EOFError:
            break
        if not text:
            break
        outcome = session.say(text)
        stage = outcome.state.framework_state.stage
        print(f"  codes: {', '.join(_codes(outcome))}   stage: {engine.title(stage)}")
        if outcome.nudge:
            print(f"  hint: {outcome.nudge}")
        print(f"{spec.persona.name}: {outcome.mentee.text}\n")
    state = session.public()
    disclosed = state["disclosed"]
    assert isinstance(disclosed, list)
    print(
        f"trust {state['trust']}, disclosed {len(disclosed)}/{state['units_total']}, "
        f"core reached: {state['core_reached']}, committed: {state['committed']}"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    catalog = catalog_or_exit()
    scenario = catalog.scenarios.get(args.id)
    if scenario is None:
        return fail(f"no scenario '{args.id}' (see `empowerer scenarios`)")
    engine = catalog.frameworks.get(args.framework)
    if engine is None:
        return fail(f"no framework '{args.framework}' (known: {', '.join(catalog.frameworks)})")
    session = Session(scenario, engine, args.seed)
    if args.jsonl:
        return run_jsonl(session, sys.stdin, sys.stdout)
    return run_chat(session, engine)
