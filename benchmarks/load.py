"""Load benchmark (not a test): N simulated trainees doing whole sessions against a server.

Two phases against the same server, with the same client and the same concurrency:

1. the no-op baseline: N workers calling `GET /api/health` back to back, for `--seconds`;
2. the trainees: N trainees, each doing whole sessions (create, ~15 turns, read the report, end)
   until time is up. `--think S` makes each trainee pause between turns (uniformly 0.5..1.5 x S),
   as a person reading the reply and typing the next line does; starts are spread over the first
   pause so the trainees do not move in lock step.

`--pace F` sets the pause from the no-op rate just measured: the one at which the trainees would
offer F x that rate in turns/s if replies were instant (they come slower, so the rate is a little
less), to read the latency at a given load rather than at saturation.

It prints turns/s, p50/p95/p99 turn latency (and the same as the server timed it, from each
answer's Server-Timing header), health req/s, the ratio turns/s / health req/s, the
CPU the server and the client used per request (to show which side was the bottleneck), and
whether the targets of issue 6 are met: p99 <= 50 ms and ratio >= 0.30 at 50 trainees on SQLite.

The client is not what is measured, so it keeps out of the way: its HTTP clients are built before
a phase's clock starts, its own garbage collector waits until a phase is over, and by default it
runs on other CPUs than the server it starts (`placement`; `--no-pin` lets them share).

`--clients K` splits the workers and trainees over K client processes: one Python process making
HTTP requests with httpx tops out at roughly 700 requests/s on these machines, so with a single
client the no-op baseline measures the client rather than the server.

    .venv/bin/python benchmarks/load.py                        # starts `empowerer serve` (SQLite)
    .venv/bin/python benchmarks/load.py --clients 3            # client in 3 processes
    .venv/bin/python benchmarks/load.py --think 3              # trainees pause ~3 s between turns
    .venv/bin/python benchmarks/load.py --pace 0.35            # the pause from the no-op rate
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000   # a running server
    .venv/bin/python benchmarks/load.py --no-pin               # client and server share CPUs
    EMPOWERER_DB_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/load.py
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import os
import random
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

LINES = (
    "What would you like to get from our time today?",
    "Tell me more about what a typical week looks like.",
    "It sounds like the evenings are where it all piles up.",
    "What matters most to you about this?",
    "So you are stretched between the practice and home, and it is wearing you down.",
    "How does that feel?",
    "What would be different if this were sorted?",
    "On a scale of 0 to 10, where are you now?",
    "What have you already tried?",
    "What options can you see?",
    "What else could you do?",
    "Which of those feels most doable?",
    "What will you do first, and when?",
    "How confident are you, from 0 to 10?",
    "Let me sum up what I heard today.",
)
SCENARIOS = ("gp-partner-school-run", "physio-band7-stalled", "fy1-self-doubt")
FRAMEWORKS = ("grow", "egan", "clear", "oskar")
P99_TARGET_MS = 50.0
RATIO_TARGET = 0.30
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def placement(pin: bool, own_server: bool) -> tuple[set[int] | None, set[int] | None, str]:
    """CPUs for the server and for this client (None: wherever the kernel likes), and a line
    saying so. Pinned, the server gets the last CPU and the client the others, as if they ran
    on machines of their own: on two cores, unpinned, the client (busy most of one core) and
    the server take turns on the same core now and then, and each waits for the other."""
    cpus = sorted(os.sched_getaffinity(0))
    if not pin or len(cpus) < 2:
        return None, None, "not pinned" + ("" if pin else " (--no-pin)")
    server_cpus, client_cpus = {cpus[-1]}, set(cpus[:-1])
    where = f"client on CPU {','.join(map(str, sorted(client_cpus)))}"
    if own_server:
        return server_cpus, client_cpus, f"pinned: server on CPU {cpus[-1]}, {where}"
    return None, client_cpus, f"pinned: {where} (the server at --url is not ours to place)"


@contextmanager
def server(workers: int, cpus: set[int] | None) -> Iterator[tuple[str, int]]:
    """`empowerer serve` on a free port with a temporary SQLite file (unless EMPOWERER_DB_URL),
    on `cpus` if given."""
    port = free_port()
    env = dict(os.environ)
    folder = tempfile.mkdtemp(prefix="empowerer-bench-")
    env.setdefault("EMPOWERER_DB_URL", f"sqlite:///{Path(folder) / 'bench.db'}")
    command = [
        sys.executable,
        "-m",
        "server.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    pin = None if cpus is None else (lambda: os.sched_setaffinity(0, cpus))
    process = subprocess.Popen(command, env=env, preexec_fn=pin)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(folder, ignore_errors=True)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (Linux /proc)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += process_tree_cpu(int(child))
    except (OSError, ValueError, IndexError):
        pass
    return total


# -- one client process ---------------------------------------------------------------------------


@dataclass
class Share:
    """What one client process measured."""

    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    in_server: list[float] = field(default_factory=list)  # Server-Timing of the same turns
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: float = 0.0


async def post(
    client: httpx.AsyncClient, path: str, body: object, **headers: str
) -> httpx.Response:
    token = client.cookies.get("empowerer_csrf")
    if token:
        headers["X-CSRF-Token"] = token
    return await client.post(path, json=body, headers=headers)


async def health_worker(client: httpx.AsyncClient, stop: float, share: Share) -> None:
    while time.monotonic() < stop:
        response = await client.get("/api/health")
        if response.status_code != 200:
            share.errors.append(f"health {response.status_code}")
        share.requests += 1


async def trainee(
    n: int, client: httpx.AsyncClient, turns: int, stop: float, think: float, share: Share
) -> None:
    """Whole sessions until `stop`; only turns that complete before `stop` count."""
    rng = random.Random(n)
    await client.get("/api/health")  # picks up the CSRF cookie, as the web UI does
    if think:
        await asyncio.sleep(rng.uniform(0, think))  # people do not all start at once
    round_ = 0
    while time.monotonic() < stop:
        body = {
            "scenario": SCENARIOS[(n + round_) % len(SCENARIOS)],
            "framework": FRAMEWORKS[(n + round_) % len(FRAMEWORKS)],
            "seed": n,
        }
        round_ += 1
        created = await post(client, "/api/sessions", body)
        share.requests += 1
        if created.status_code != 201:
            share.errors.append(f"create {created.status_code} {created.text[:100]}")
            continue
        sid = created.json()["id"]
        for i in range(turns):
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            if time.monotonic() >= stop:
                return
            began = time.perf_counter()
            said = await post(
                client,
                f"/api/sessions/{sid}/turns",
                {"text": LINES[i % len(LINES)]},
                **{"Idempotency-Key": f"{sid}-{i}"},
            )
            if time.monotonic() < stop:
                share.latencies.append(time.perf_counter() - began)
                timing = said.headers.get("server-timing", "")
                if timing.startswith("app;dur="):
                    share.in_server.append(float(timing[8:]) / 1000)
            share.requests += 1
            if said.status_code != 200:
                share.errors.append(f"turn {said.status_code} {said.text[:100]}")
        await client.get(f"/api/sessions/{sid}/report")
        await post(client, f"/api/sessions/{sid}/end", {})
        share.requests += 2


async def run_share(
    phase: str, url: str, first: int, count: int, start: float, args: argparse.Namespace
) -> Share:
    share = Share()
    stop = start + args.seconds
    # Set up before the clock starts: one client (connection pool, cookies) per worker or trainee,
    # all sharing one TLS context (httpx builds one per client otherwise, loading the CA bundle:
    # ~50 ms of CPU each, 2-3 s for 50 clients, which stalled every phase's first seconds).
    tls = ssl.create_default_context()
    clients = [httpx.AsyncClient(base_url=url, timeout=60, verify=tls) for _ in range(count)]
    if phase == "health":
        jobs = [health_worker(client, stop, share) for client in clients]
    else:
        jobs = [
            trainee(n, client, args.turns, stop, args.think, share)
            for n, client in zip(range(first, first + count), clients, strict=True)
        ]
    # This process's own garbage collector must not pause the measurement: a full collection of
    # the client's heap took 80-120 ms here, delaying every request in flight. What the phase
    # allocates is freed by reference counting; the rest waits for the collection after it.
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        await asyncio.sleep(max(0.0, start - time.monotonic()))
        cpu = time.process_time()
        began = time.monotonic()
        await asyncio.gather(*jobs)
        share.elapsed = min(time.monotonic(), stop) - began
        share.cpu = time.process_time() - cpu
    finally:
        gc.enable()
        gc.unfreeze()
        for client in clients:
            await client.aclose()
    return share


def client_process(
    phase: str, url: str, first: int, count: int, start: float, args: argparse.Namespace
) -> Share:
    return asyncio.run(run_share(phase, url, first, count, start, args))


# -- a phase over K client processes --------------------------------------------------------------


@dataclass
class Phase:
    """One phase, all client processes together."""

    requests: int
    latencies: list[float]
    in_server: list[float]
    errors: list[str]
    seconds: float
    client_cpu: float
    server_cpu: float | None

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def split(total: int, parts: int) -> list[tuple[int, int]]:
    """(first, count) of each part, as even as can be."""
    size, extra = divmod(total, parts)
    out, first = [], 0
    for i in range(parts):
        count = size + (1 if i < extra else 0)
        out.append((first, count))
        first += count
    return [(f, c) for f, c in out if c]


def run_phase(phase: str, url: str, args: argparse.Namespace, server_pid: int | None) -> Phase:
    parts = split(args.trainees, args.clients)
    start = time.monotonic() + (1.5 if args.clients > 1 else 0.2)
    cpu_before = process_tree_cpu(server_pid) if server_pid else None
    if args.clients == 1:
        shares = [client_process(phase, url, parts[0][0], parts[0][1], start, args)]
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(len(parts)) as pool:
            shares = pool.starmap(
                client_process, [(phase, url, first, count, start, args) for first, count in parts]
            )
    server_cpu = None
    if server_pid and cpu_before is not None:
        server_cpu = process_tree_cpu(server_pid) - cpu_before
    latencies = sorted(x for s in shares for x in s.latencies)
    return Phase(
        requests=len(latencies) if phase == "turns" else sum(s.requests for s in shares),
        latencies=latencies,
        in_server=sorted(x for s in shares for x in s.in_server),
        errors=[e for s in shares for e in s.errors],
        seconds=max(s.elapsed for s in shares),
        client_cpu=sum(s.cpu for s in shares),
        server_cpu=server_cpu,
    )


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_note(phase: Phase, requests: int) -> str:
    client = phase.client_cpu / max(1, requests) * 1000
    note = f"client {client:.2f} ms"
    if phase.server_cpu is not None:
        server = phase.server_cpu / max(1, requests) * 1000
        busy = phase.server_cpu / phase.seconds
        note += f", server {server:.2f} ms (server busy {busy:.2f} cores)"
    return note


def report(health: Phase, turns: Phase, args: argparse.Namespace) -> bool:
    """Print the figures; True when both targets are met."""
    ratio = turns.rate / health.rate
    p99 = percentile(turns.latencies, 0.99) * 1000
    print(
        f"trainees:        {args.trainees} (think {args.think:.3g} s"
        + (f", from --pace {args.pace:g}" if args.pace else "")
        + f", {args.clients} client "
        f"process{'es' if args.clients > 1 else ''}, {args.seconds:g} s per phase)"
    )
    print(f"cpus:            {args.placement}")
    print(
        f"health (no-op):  {health.rate:.0f} req/s  [CPU per request: "
        f"{cpu_note(health, health.requests)}]"
    )
    print(
        f"turns:           {turns.rate:.1f} turns/s ({turns.requests} turns, "
        f"{len(turns.errors)} errors)  [CPU per turn, with its share of creating, reporting "
        f"and ending sessions: {cpu_note(turns, turns.requests)}]"
    )
    print(
        f"turn latency:    p50 {percentile(turns.latencies, 0.50) * 1000:.1f} ms, "
        f"p95 {percentile(turns.latencies, 0.95) * 1000:.1f} ms, p99 {p99:.1f} ms"
    )
    if turns.in_server:
        print(
            "  in the server:  "
            + ", ".join(
                f"p{round(q * 100)} {percentile(turns.in_server, q) * 1000:.1f} ms"
                for q in (0.50, 0.95, 0.99)
            )
            + "  (its Server-Timing: arrival to answer; the rest is the network and this client)"
        )
    print(f"ratio:           {ratio:.2f} of the no-op baseline")
    if turns.errors:
        print(f"first error:     {turns.errors[0]}")
    p99_ok = p99 <= P99_TARGET_MS
    ratio_ok = ratio >= RATIO_TARGET
    print(
        f"targets:         p99 <= {P99_TARGET_MS:g} ms {'MET' if p99_ok else 'NOT MET'}; "
        f"ratio >= {RATIO_TARGET:.2f} {'MET' if ratio_ok else 'NOT MET'}"
    )
    return p99_ok and ratio_ok


def measure(url: str, args: argparse.Namespace, server_pid: int | None) -> bool:
    health = run_phase("health", url, args, server_pid)
    if args.pace:  # the pause at which N trainees would offer pace x the no-op rate
        args.think = args.trainees / (args.pace * health.rate)
    turns = run_phase("turns", url, args, server_pid)
    return report(health, turns, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--turns", type=int, default=15, help="turns per session")
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a trainee's turns (s)"
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=0.0,
        help="set --think from the no-op rate just measured: the pause at which the trainees "
        "would offer this fraction of it in turns/s if replies were instant (e.g. 0.35); "
        "latency at a set load instead of at saturation",
    )
    parser.add_argument(
        "--clients", type=int, default=1, help="client processes sharing the trainees"
    )
    parser.add_argument("--workers", type=int, default=1, help="server processes when starting one")
    parser.add_argument(
        "--pin",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the server on the last CPU and this client on the others (default), as on "
        "machines of their own; --no-pin lets them share every CPU",
    )
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, args.trainees))
    server_cpus, client_cpus, args.placement = placement(args.pin, own_server=not args.url)
    if client_cpus is not None:
        os.sched_setaffinity(0, client_cpus)  # the client processes inherit it
    if args.url:
        measure(args.url, args, None)
    else:
        with server(args.workers, server_cpus) as (url, pid):
            measure(url, args, pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
