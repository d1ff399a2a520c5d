"""How long a practice turn takes (coder + framework + mentee), and the quality gate per scenario.

Run: .venv/bin/python benchmarks/practice_turns.py
"""

from __future__ import annotations

import statistics
import time

from server.frameworks import load_all as load_frameworks
from server.mentee.gate import GATE_FRAMEWORK, MENTORS, run_gate
from server.practice import start, take_turn
from server.scenarios import load_all


def main() -> None:
    scenarios = load_all()
    engine = load_frameworks()[GATE_FRAMEWORK]
    timings: list[float] = []
    for spec in scenarios.values():
        for mentor, _ in MENTORS.values():
            state, opening = start(spec, engine, 0)
            history = [opening]
            while (text := mentor(history)) is not None and len(history) < 60:
                t0 = time.perf_counter()
                outcome = take_turn(spec, engine, state, history, text)
                timings.append((time.perf_counter() - t0) * 1000)
                state = outcome.state
                history += [outcome.mentor, outcome.mentee]
    timings.sort()
    q = statistics.quantiles(timings, n=100)
    print(
        f"turns: {len(timings)}  mean {statistics.mean(timings):.2f} ms  "
        f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms  max {timings[-1]:.2f} ms"
    )
    t0 = time.perf_counter()
    failures = sum(bool(run_gate(spec, engine)) for spec in scenarios.values())
    spent = time.perf_counter() - t0
    print(
        f"quality gate: {len(scenarios)} scenarios in {spent:.2f} s "
        f"({spent / len(scenarios) * 1000:.0f} ms each), {failures} failing"
    )


if __name__ == "__main__":
    main()
