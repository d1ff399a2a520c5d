"""Benchmark: restore a session's framework state from JSON and fire one trigger.

Run: .venv/bin/python benchmarks/framework_engine.py [--n 20000]
Prints microseconds per restore + trigger for each framework (should stay far under 1 ms).
"""

from __future__ import annotations

import argparse
import time

from server.frameworks import Facts, FrameworkState, load_all

FACTS = Facts(mentor_turns_in_stage=3, story_heard=True, goal_stated=True, options_found=2)


def measure(n: int) -> None:
    for engine in load_all().values():
        start = engine.start()
        dest = engine.next_stage(start.stage)
        assert dest is not None
        saved = start.model_dump_json()
        t0 = time.perf_counter()
        for i in range(n):
            state = FrameworkState.model_validate_json(saved)
            result = engine.move(state, dest, FACTS, turn=i)
            result.state.model_dump_json()
        per = (time.perf_counter() - t0) / n * 1e6
        nested = " (nested)" if "_" in start.stage else ""
        print(f"{engine.id:<6}{nested:<10} restore + trigger + save: {per:6.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20000)
    measure(parser.parse_args().n)


if __name__ == "__main__":
    main()
