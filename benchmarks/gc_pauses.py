"""Full garbage-collection pauses in a server that has held many sessions (not a test).

Runs `--rounds` x 50 trainees x 12 turns through the app in process (as `turn_cpu.py` does) and
prints how many full (generation 2) collections ran and the longest pause, with the heap kept
settled (`server.heap`, as `empowerer serve` runs) or, with `--off`, left to CPython's defaults.

    .venv/bin/python benchmarks/gc_pauses.py            # as served
    .venv/bin/python benchmarks/gc_pauses.py --off      # without server.heap's settling
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.turn_cpu import trainee  # the same trainee as the CPU benchmark


async def run(rounds: int, off: bool) -> None:
    from server import heap
    from server.app import create_app
    from server.config import Settings

    if off:
        heap.settle = lambda: None  # the loop still runs; it no longer collects or freezes
    pauses: list[float] = []
    started: list[float] = []

    def watch(phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.append(time.perf_counter() - started.pop())

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(db_url=f"sqlite:///{Path(folder) / 'bench.db'}"))
        async with app.router.lifespan_context(app):
            gc.callbacks.append(watch)
            try:
                for r in range(rounds):
                    await asyncio.gather(*(trainee(app, n + 100 * r, 12, []) for n in range(50)))
                    await asyncio.sleep(0)
            finally:
                gc.callbacks.remove(watch)
            longest = max(pauses, default=0.0) * 1000
            print(
                f"{'CPython defaults' if off else 'settled heap'}: {rounds * 50} sessions, "
                f"{len(pauses)} full collections, longest pause {longest:.1f} ms, "
                f"{len(gc.get_objects())} objects tracked (not frozen)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=16, help="rounds of 50 sessions")
    parser.add_argument("--off", action="store_true", help="do not settle the heap")
    args = parser.parse_args()
    asyncio.run(run(args.rounds, args.off))


if __name__ == "__main__":
    main()
