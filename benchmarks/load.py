"""Load benchmark (not a test): N simulated trainees doing whole sessions against a server.

Each trainee: create a session, ~15 turns, read the report, end it; again until time is up. The same
run measures `GET /api/health` with the same concurrency as the no-op baseline and prints the ratio.

    .venv/bin/python benchmarks/load.py                       # starts `empowerer serve` on SQLite
    .venv/bin/python benchmarks/load.py --trainees 50 --seconds 20
    .venv/bin/python benchmarks/load.py --url http://127.0.0.1:8000   # a running server
    .venv/bin/python benchmarks/load.py --think 1.0   # trainees pause ~1 s between turns
    EMPOWERER_DB_URL=postgresql://postgres@127.0.0.1/bench .venv/bin/python benchmarks/load.py

Targets (SQLite, 50 trainees): p99 turn latency <= 50 ms, turns/s >= 0.30 x health req/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(workers: int) -> Iterator[str]:
    """`empowerer serve` on a free port with a temporary SQLite file (unless EMPOWERER_DB_URL)."""
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
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)


async def health_worker(url: str, stop: float, counts: list[int]) -> None:
    async with httpx.AsyncClient(base_url=url) as client:
        while time.monotonic() < stop:
            response = await client.get("/api/health")
            assert response.status_code == 200
            counts[0] += 1


async def post(
    client: httpx.AsyncClient, path: str, body: object, **headers: str
) -> httpx.Response:
    token = client.cookies.get("empowerer_csrf")
    if token:
        headers["X-CSRF-Token"] = token
    return await client.post(path, json=body, headers=headers)


async def trainee(
    n: int,
    url: str,
    turns: int,
    stop: float,
    latencies: list[float],
    errors: list[str],
    think: float = 0.0,
) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await client.get("/api/health")  # picks up the CSRF cookie, as the web UI does
        round_ = 0
        while time.monotonic() < stop:
            body = {
                "scenario": SCENARIOS[(n + round_) % len(SCENARIOS)],
                "framework": FRAMEWORKS[(n + round_) % len(FRAMEWORKS)],
                "seed": n,
            }
            round_ += 1
            created = await post(client, "/api/sessions", body)
            if created.status_code != 201:
                errors.append(f"create {created.status_code} {created.text[:100]}")
                continue
            sid = created.json()["id"]
            for i in range(turns):
                if time.monotonic() >= stop:
                    return
                began = time.perf_counter()
                said = await post(
                    client,
                    f"/api/sessions/{sid}/turns",
                    {"text": LINES[i % len(LINES)]},
                    **{"Idempotency-Key": f"{sid}-{i}"},
                )
                latencies.append(time.perf_counter() - began)
                if think:
                    await asyncio.sleep(random.uniform(0.5, 1.5) * think)
                if said.status_code != 200:
                    errors.append(f"turn {said.status_code} {said.text[:100]}")
            await client.get(f"/api/sessions/{sid}/report")
            await post(client, f"/api/sessions/{sid}/end", {})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    url: str, trainees: int, turns: int, seconds: float, think: float = 0.0
) -> dict[str, float]:
    counts = [0]
    began = time.monotonic()
    await asyncio.gather(*(health_worker(url, began + seconds, counts) for _ in range(trainees)))
    health_rate = counts[0] / (time.monotonic() - began)
    latencies: list[float] = []
    errors: list[str] = []
    began = time.monotonic()
    await asyncio.gather(
        *(
            trainee(n, url, turns, began + seconds, latencies, errors, think)
            for n in range(trainees)
        )
    )
    elapsed = time.monotonic() - began
    if errors:
        print(f"{len(errors)} errors, first: {errors[0]}")
    return {
        "health_rps": health_rate,
        "turns_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "turns": len(latencies),
        "errors": len(errors),
    }


def report(figures: dict[str, float], trainees: int) -> None:
    ratio = figures["turns_per_s"] / figures["health_rps"]
    print(f"trainees:        {trainees}")
    print(f"health (no-op):  {figures['health_rps']:.0f} req/s")
    print(
        f"turns:           {figures['turns_per_s']:.0f} turns/s ({figures['turns']:.0f} turns, "
        f"{figures['errors']:.0f} errors)"
    )
    print(
        f"turn latency:    p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms"
    )
    print(f"ratio:           {ratio:.2f} of the no-op baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--turns", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between turns (s)")
    parser.add_argument("--workers", type=int, default=1, help="server processes when starting one")
    args = parser.parse_args()
    if args.url:
        figures = asyncio.run(
            measure(args.url, args.trainees, args.turns, args.seconds, args.think)
        )
    else:
        with server(args.workers) as url:
            figures = asyncio.run(measure(url, args.trainees, args.turns, args.seconds, args.think))
    report(figures, args.trainees)
    return 0


if __name__ == "__main__":
    sys.exit(main())
