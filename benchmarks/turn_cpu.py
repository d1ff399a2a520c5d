"""Server CPU per practice turn, in process (not a test): the ASGI app called directly.

No HTTP client and no socket: each request is a prepared ASGI scope with a `receive` that hands over
the body and a `send` that collects the answer, so the CPU measured is the server's alone (the event
loop, the store's writer thread, the engine). 50 trainees (guest identities, each with its own
session on a temporary SQLite file) take `--turns` turns each, all at once, and it prints the
process CPU (`time.process_time`, every thread) and the wall time per turn.

    .venv/bin/python benchmarks/turn_cpu.py                      # 50 trainees x 12 turns
    .venv/bin/python benchmarks/turn_cpu.py --sessions 50 --turns 14 --rounds 3
    .venv/bin/python benchmarks/turn_cpu.py --profile out.prof   # cProfile of the event loop
    .venv/bin/python benchmarks/turn_cpu.py --rounds 20          # long enough for py-spy --pid
    .venv/bin/python benchmarks/turn_cpu.py --routes             # CPU of each route of a session

`--routes` plays whole sessions one request at a time, as a trainee of the load benchmark does
(health, create, `--turns` turns, report, end), and prints the median CPU of each route (the whole
process: the event loop and the commit thread) and of a whole session per turn: where a session's
cost lies, free of the queueing that concurrency adds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import FRAMEWORKS, LINES, SCENARIOS  # the same trainee as the load run


class Client:
    """One trainee's cookies, talking ASGI to the app."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cookies: dict[str, str] = {}

    async def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, bytes]:
        raw = b"" if body is None else json.dumps(body).encode()
        headers = [(b"host", b"testserver"), (b"user-agent", b"turn-cpu")]
        if key is not None:
            headers.append((b"idempotency-key", key.encode()))
        if body is not None:
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
            ]
        if self.cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            headers.append((b"cookie", cookie.encode("latin-1")))
        if "empowerer_csrf" in self.cookies:
            headers.append((b"x-csrf-token", self.cookies["empowerer_csrf"].encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        status = 0
        chunks: list[bytes] = []

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    if key == b"set-cookie":
                        jar: SimpleCookie = SimpleCookie()
                        jar.load(value.decode("latin-1"))
                        for name, morsel in jar.items():
                            self.cookies[name] = morsel.value
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


async def trainee(app: Any, n: int, turns: int, latencies: list[float]) -> int:
    client = Client(app)
    status, body = await client.call(
        "POST",
        "/api/sessions",
        {"scenario": SCENARIOS[n % 3], "framework": FRAMEWORKS[n % 4], "seed": n},
    )
    assert status == 201, (status, body[:200])
    sid = json.loads(body)["id"]
    done = 0
    for t in range(turns):
        started = time.perf_counter()
        status, body = await client.call(
            "POST",
            f"/api/sessions/{sid}/turns",
            {"text": LINES[(t + n) % len(LINES)]},
            key=f"{sid}-{t}",  # as benchmarks/load.py does
        )
        latencies.append(time.perf_counter() - started)
        assert status == 200, (status, body[:200])
        done += 1
    return done


async def session_routes(app: Any, n: int, turns: int, cpu: dict[str, list[float]]) -> None:
    """One whole session, request by request, adding each request's CPU to `cpu[route]`."""
    client = Client(app)

    async def timed(route: str, *call: Any, **options: Any) -> bytes:
        began = time.process_time()
        status, body = await client.call(*call, **options)
        cpu[route].append(time.process_time() - began)
        assert status < 300, (route, status, body[:200])
        return body

    await timed("health", "GET", "/api/health")
    body = {"scenario": SCENARIOS[n % 3], "framework": FRAMEWORKS[n % 4], "seed": n}
    sid = json.loads(await timed("create", "POST", "/api/sessions", body))["id"]
    for t in range(turns):
        line = {"text": LINES[t % len(LINES)]}
        await timed("turn", "POST", f"/api/sessions/{sid}/turns", line, key=f"{sid}-{t}")
    await timed("report", "GET", f"/api/sessions/{sid}/report")
    await timed("end", "POST", f"/api/sessions/{sid}/end", {})


async def run_routes(app: Any, args: argparse.Namespace) -> None:
    routes = ("health", "create", "turn", "report", "end")
    for n in range(5):  # warm-up
        await session_routes(app, n, args.turns, {r: [] for r in routes})
    cpu: dict[str, list[float]] = {r: [] for r in routes}
    for n in range(args.sessions):
        await session_routes(app, n, args.turns, cpu)
    median = {r: statistics.median(cpu[r]) * 1000 for r in routes}
    print(
        f"{args.sessions} whole sessions of {args.turns} turns, one request at a time; "
        "median CPU per request:"
    )
    for r in routes:
        print(f"  {r:7s} {median[r]:6.2f} ms")
    whole = sum(median[r] * (args.turns if r == "turn" else 1) for r in routes)
    print(f"  a whole session: {whole:.1f} ms, {whole / args.turns:.2f} ms per turn")


async def run(args: argparse.Namespace) -> None:
    from server.app import create_app
    from server.config import Settings

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_url=f"sqlite:///{Path(folder) / 'bench.db'}")
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            if args.routes:
                await run_routes(app, args)
                return
            # One warm-up round (imports, caches) before measuring.
            await asyncio.gather(*(trainee(app, n, 2, []) for n in range(args.sessions)))
            figures = []
            profiler = cProfile.Profile(time.thread_time) if args.profile else None
            for _ in range(args.rounds):
                latencies: list[float] = []
                gc.collect()
                cpu0, wall0, loop0 = time.process_time(), time.perf_counter(), time.thread_time()
                if profiler:
                    profiler.enable()
                done = await asyncio.gather(
                    *(trainee(app, n, args.turns, latencies) for n in range(args.sessions))
                )
                if profiler:
                    profiler.disable()
                cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
                loop_cpu = time.thread_time() - loop0
                turns = sum(done)
                # creating the sessions is in the figure too; say how much of it there is
                figures.append(cpu / turns * 1000)
                latencies.sort()
                p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
                print(
                    f"{turns} turns (+{args.sessions} creates): CPU {cpu / turns * 1000:.2f} ms/turn "
                    f"(event loop {loop_cpu / turns * 1000:.2f}), "
                    f"wall {wall / turns * 1000:.2f} ms/turn ({turns / wall:.0f} turns/s), "
                    f"p99 {p99:.1f} ms, writer batches {app.state.store.writer.batches}"
                )
            print(
                f"median CPU per turn over {args.rounds} rounds: "
                f"{statistics.median(figures):.2f} ms (best {min(figures):.2f})"
            )
            if profiler:
                profiler.dump_stats(args.profile)
                print(f"cProfile of the event loop written to {args.profile}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--turns", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", default=None, help="write a cProfile of the measured rounds")
    parser.add_argument(
        "--routes", action="store_true", help="the CPU of each route of whole sessions, one by one"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
