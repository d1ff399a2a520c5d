"""The exemplar's score on every built-in scenario x framework: the live report (what the demo and
the API show) and the report `empowerer score` gives for the same words; min / median per
framework, and the time per exemplar.

Run: .venv/bin/python benchmarks/exemplar_scores.py
"""

from __future__ import annotations

import statistics
import time

from server.exemplar import run_exemplar
from server.exemplar.run import score_transcript
from server.frameworks import load_all as load_frameworks
from server.scenarios import load_all as load_scenarios


def main() -> None:
    frameworks, scenarios = load_frameworks(), load_scenarios()
    print(f"{'framework':10} {'live min/median':>16} {'rescored min/median':>20} {'s/run':>6}")
    for fid, engine in frameworks.items():
        live: list[int] = []
        rescored: list[int] = []
        start = time.perf_counter()
        for spec in scenarios.values():
            ex = run_exemplar(spec, engine)
            live.append(ex.report.overall.score)
            rescored.append(score_transcript(ex.turns, engine, spec).overall.score)
            if ex.report.overall.band.value != "good":
                print(f"  NOT GOOD: {spec.id} {fid} {ex.report.overall.score}")
        per = (time.perf_counter() - start) / len(scenarios)
        print(
            f"{fid:10} {min(live):>7} / {statistics.median(live):<7} "
            f"{min(rescored):>9} / {statistics.median(rescored):<8} {per:6.2f}"
        )


if __name__ == "__main__":
    main()
