"""Time building a session report (not a test): the report route's own work, in process.

Plays `--sessions` practice sessions of `--turns` turns each (the load benchmark's trainee lines,
over the built-in scenarios and frameworks), then builds each one's report and its JSON, and
prints the best of `--repeat` passes per report (the least disturbed by the rest of the machine).

    .venv/bin/python benchmarks/report_build.py
    .venv/bin/python benchmarks/report_build.py --sessions 24 --turns 20 --repeat 9
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import FRAMEWORKS, LINES, SCENARIOS  # the same trainee as the load run
from server.frameworks import load_all as load_frameworks
from server.practice.engine import start, take_turn
from server.scenarios import load_all as load_scenarios
from server.scoring import build_report


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--turns", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    scenarios, frameworks = load_scenarios(), load_frameworks()
    played = []
    for n in range(args.sessions):
        spec = scenarios[SCENARIOS[n % len(SCENARIOS)]]
        engine = frameworks[FRAMEWORKS[n % len(FRAMEWORKS)]]
        state, opening = start(spec, engine, n)
        turns = [opening]
        for t in range(args.turns):
            outcome = take_turn(spec, engine, state, turns, LINES[(t + n) % len(LINES)])
            state, turns = outcome.state, [*turns, outcome.mentor, outcome.mentee]
        played.append((spec, engine, state, turns))

    def one_pass() -> float:
        began = time.perf_counter()
        for spec, engine, state, turns in played:
            report = build_report(
                turns, engine=engine, scenario=spec, framework_state=state.framework_state
            )
            report.model_dump_json()
        return (time.perf_counter() - began) / len(played)

    one_pass()  # warm-up: lexicons, caches
    best = min(one_pass() for _ in range(args.repeat))
    print(
        f"{len(played)} sessions of {args.turns} turns: {best * 1000:.2f} ms per report "
        f"(build + JSON, best of {args.repeat} passes)"
    )


if __name__ == "__main__":
    main()
