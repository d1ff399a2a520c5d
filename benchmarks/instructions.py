"""Instructions per unit of work, counted by valgrind (not a test): for comparing code, not machines.

On these machines the CPU time of one and the same loop varies by 1.5-2x from minute to minute
(the host's other tenants), so timings cannot tell apart changes of a few percent. The number of
instructions executed can: callgrind counts them, and two runs of the same code agree to within
0.2%. Start-up (imports, the catalog, the lexicons, a warm-up) is not counted: the program runs
under valgrind with instrumentation off, and it is switched on (`callgrind_control`) only for the
measured work. Only the main thread is counted (for `session`, the server's event loop): the
background threads run by the clock (WAL checkpoints every 0.5 s), and under valgrind's slowness
their share would change from run to run.

Workloads (each prints instructions per unit):

- `session`: whole practice sessions through the app in process, as a trainee of the load
  benchmark does them (health, create, `--turns` turns, report, end), one request at a time, on a
  temporary SQLite file: the server's work per session (and per turn, with its share of the rest);
- `engine`: practice turns alone (coder, framework, mentee), no HTTP and no store;
- `report`: reports of played sessions, built and turned into JSON;
- `coder`: `code_turn` over the hand-written cases and the trainee lines;
- `risk`: `check_risk` over the safety phrasings (tests/safety/phrasings.yaml) and the trainee lines;
- `risk-benign`: `check_risk` over the mentor turns of the coder's hand-written cases and the
  trainee lines: the common case, what the server checks on every practice turn.

    .venv/bin/python benchmarks/instructions.py session          # 10 sessions of 15 turns
    .venv/bin/python benchmarks/instructions.py engine --n 20
    .venv/bin/python benchmarks/instructions.py report
    .venv/bin/python benchmarks/instructions.py coder
    .venv/bin/python benchmarks/instructions.py risk
    .venv/bin/python benchmarks/instructions.py risk-benign

Needs valgrind (Debian: `apt-get install valgrind`). A run takes 30-90 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = "EMPOWERER_INSTRUCTIONS_CHILD"  # set in the measured process: the folder of its signals


# -- the measured process ---------------------------------------------------------------------


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.05)


def measured(signals: Path, prepare: Callable[[], Callable[[], int]]) -> None:
    """Prepare (not counted), say so, wait for the counting to start, work, say so, wait."""
    work = prepare()
    (signals / "ready").write_text("")
    wait_for(signals / "go")
    units = work()
    (signals / "units").write_text(str(units))
    (signals / "units").rename(signals / "done")  # whole when seen
    wait_for(signals / "stop")


def player(turns: int) -> Callable[[int, int], list[tuple[Any, Any, Any, list[Any]]]]:
    """`play(first, count)`: sessions of `turns` turns, the load benchmark's trainee lines over the
    built-in scenarios and frameworks (loaded once, here)."""
    from benchmarks.load import FRAMEWORKS, LINES, SCENARIOS
    from server.frameworks import load_all as load_frameworks
    from server.practice.engine import start, take_turn
    from server.scenarios import load_all as load_scenarios

    scenarios, frameworks = load_scenarios(), load_frameworks()

    def play(first: int, count: int) -> list[tuple[Any, Any, Any, list[Any]]]:
        played = []
        for n in range(first, first + count):
            spec = scenarios[SCENARIOS[n % len(SCENARIOS)]]
            engine = frameworks[FRAMEWORKS[n % len(FRAMEWORKS)]]
            state, opening = start(spec, engine, n)
            history = [opening]
            for t in range(turns):
                outcome = take_turn(spec, engine, state, history, LINES[(t + n) % len(LINES)])
                state, history = outcome.state, [*history, outcome.mentor, outcome.mentee]
            played.append((spec, engine, state, history))
        return played

    return play


def engine_work(args: argparse.Namespace) -> Callable[[], int]:
    play = player(args.turns)
    play(1000, 3)  # warm-up: lexicons, caches

    def work() -> int:
        play(0, args.n)
        return args.n * args.turns

    return work


def report_work(args: argparse.Namespace) -> Callable[[], int]:
    from server.scoring import build_report

    played = player(args.turns)(0, args.n)

    def build_all() -> int:
        for spec, engine, state, history in played:
            report = build_report(
                history, engine=engine, scenario=spec, framework_state=state.framework_state
            )
            report.model_dump_json()
        return len(played)

    build_all()  # warm-up

    def work() -> int:
        return build_all()

    return work


def coder_work(args: argparse.Namespace) -> Callable[[], int]:
    import yaml

    from benchmarks.load import LINES
    from server.coding import code_turn

    cases = yaml.safe_load((ROOT / "tests/coding/cases.yaml").read_text(encoding="utf-8"))
    inputs = [(c["text"], c.get("context")) for c in cases] + [(line, None) for line in LINES]
    for text, context in inputs:  # warm-up
        code_turn(text, context)

    def work() -> int:
        for text, context in inputs:
            code_turn(text, context)
        return len(inputs)

    return work


def risk_checks(texts: list[str]) -> Callable[[], int]:
    """`check_risk` over `texts` (warmed up here), one unit per text."""
    from server.safety import check_risk

    for text in texts:  # warm-up
        check_risk(text)

    def work() -> int:
        for text in texts:
            check_risk(text)
        return len(texts)

    return work


def risk_work(args: argparse.Namespace) -> Callable[[], int]:
    import yaml

    from benchmarks.load import LINES

    groups = yaml.safe_load((ROOT / "tests/safety/phrasings.yaml").read_text(encoding="utf-8"))
    return risk_checks([text for items in groups.values() for text in items] + list(LINES))


def risk_benign_work(args: argparse.Namespace) -> Callable[[], int]:
    import yaml

    from benchmarks.load import LINES

    cases = yaml.safe_load((ROOT / "tests/coding/cases.yaml").read_text(encoding="utf-8"))
    return risk_checks([c["text"] for c in cases] + list(LINES))


def session_work(args: argparse.Namespace) -> Callable[[], int]:
    from benchmarks.turn_cpu import session_routes
    from server import heap
    from server.app import create_app
    from server.config import Settings

    folder = tempfile.mkdtemp(prefix="empowerer-instructions-")
    app = create_app(Settings(db_url=f"sqlite:///{Path(folder) / 'bench.db'}"))
    loop = asyncio.new_event_loop()
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    routes = ("health", "create", "turn", "report", "end")
    # What runs by the clock would make the count depend on valgrind's speed (~50x slower), so it
    # is set to the pace of a server under load instead:
    # - the SQLite writer commits at once on the loop, as it does while COMMITs take under 2 ms
    #   (under valgrind they take longer, which would switch it to grouping on its thread);
    # - the heap is settled (`server.heap`, every second in the server, where a second is ~20
    #   sessions at the load benchmark's rate) after every 10th session instead of by the clock.
    app.state.service.store.writer.slow = float("inf")
    for task in asyncio.all_tasks(loop):
        if task.get_name() == "empowerer-heap":
            task.cancel()

    async def sessions(first: int, count: int) -> None:
        cpu: dict[str, list[float]] = {r: [] for r in routes}
        for n in range(first, first + count):
            await session_routes(app, n, args.turns, cpu)
            if n % 10 == 9:
                heap.settle()

    loop.run_until_complete(sessions(1000, 3))  # warm-up

    def work() -> int:
        assert lifespan is not None  # held here: the app's store closes when it is let go
        loop.run_until_complete(sessions(0, args.n))
        return args.n

    return work


WORKLOADS: dict[str, tuple[Callable[[argparse.Namespace], Callable[[], int]], str]] = {
    "session": (session_work, "session"),
    "engine": (engine_work, "turn"),
    "report": (report_work, "report"),
    "coder": (coder_work, "coded turn"),
    "risk": (risk_work, "risk check"),
    "risk-benign": (risk_benign_work, "risk check"),
}


# -- the counting parent ----------------------------------------------------------------------


def main_thread_count(signals: Path) -> int:
    """The instructions of the measured process's main thread (callgrind writes a file per
    thread: `callgrind.out-01` is the first). Only the main thread counts: it is the server's event
    loop, where a request's work waits for other requests' work; the background threads (WAL
    checkpoints, a commit thread) run by the clock, so under valgrind's slowness their share
    would vary from run to run."""
    found = sorted(signals.glob("callgrind.out*-01"))
    if not found:
        raise SystemExit(f"no callgrind output in {signals}")
    totals = re.search(r"^totals: (\d+)", found[0].read_text(), re.MULTILINE)
    if totals is None:
        raise SystemExit(f"no count in {found[0]}")
    return int(totals.group(1))


def count(args: argparse.Namespace) -> int:
    """Run this script under callgrind with the counting off, switch it on for the work only."""
    with tempfile.TemporaryDirectory(prefix="empowerer-instructions-") as folder:
        signals = Path(folder)
        log = signals / "valgrind.log"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--separate-threads=yes",
            f"--callgrind-out-file={signals / 'callgrind.out'}",
            f"--log-file={log}",
            sys.executable,
            str(Path(__file__).resolve()),
            *sys.argv[1:],
        ]
        env = dict(os.environ, PYTHONHASHSEED="0", **{CHILD: str(signals)})
        child = subprocess.Popen(command, env=env)
        try:
            while not (signals / "ready").exists():
                if child.poll() is not None:
                    raise SystemExit(f"the measured process stopped: see {log}")
                time.sleep(0.2)
            control = ["callgrind_control", "--instr=on", str(child.pid)]
            subprocess.run(control, check=True, capture_output=True)
            (signals / "go").write_text("")
            wait_for(signals / "done")
            control[1] = "--instr=off"
            subprocess.run(control, check=True, capture_output=True)
            units = int((signals / "done").read_text())
            (signals / "stop").write_text("")
            child.wait()
        finally:
            if child.poll() is None:
                child.kill()
        total = main_thread_count(signals)
    unit = WORKLOADS[args.workload][1]
    print(
        f"{args.workload}: {total:,} instructions for {units} {unit}s: "
        f"{total / units / 1e6:.3f} M per {unit}"
    )
    if args.workload == "session":
        per_turn = total / units / args.turns / 1e6
        print(f"  {per_turn:.3f} M per turn, with its share of creating, reporting and ending")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument(
        "--n",
        type=int,
        default=10,
        help="sessions to measure (the coder: one pass over its inputs)",
    )
    parser.add_argument("--turns", type=int, default=15, help="turns per session")
    args = parser.parse_args()
    signals = os.environ.get(CHILD)
    if signals is None:
        return count(args)
    measured(Path(signals), lambda: WORKLOADS[args.workload][0](args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
