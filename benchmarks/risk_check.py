"""Benchmark the risk check: per-group hit rates on the phrasing files and checks per second.

Run: .venv/bin/python benchmarks/risk_check.py [FILE.yaml ...]
(default: tests/safety/phrasings.yaml and every tests/safety/holdout*.yaml)

For the risky groups (explicit, indirect) the rate is recall; for the others it is the false-alarm
rate (the share flagged "possible" or "high"). Misses and false alarms are listed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from server.safety import check_risk
from server.safety.lexicon import lexicon

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = [
    ROOT / "tests/safety/phrasings.yaml",
    *sorted((ROOT / "tests/safety").glob("holdout*.yaml")),
]
CASES = ROOT / "tests/coding/cases.yaml"
RISKY = {"explicit", "indirect"}


def report(path: Path) -> list[str]:
    """Print the per-group figures for one file; return every text in it."""
    data: dict[str, list[str]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    print(f"\n{path.relative_to(ROOT)}  ({sum(len(v) for v in data.values())} phrasings)")
    print(f"  {'group':<13} {'n':>4}  {'measure':<12} {'rate':>7}  {'high':>5}")
    texts: list[str] = []
    for group, items in data.items():
        results = [check_risk(t) for t in items]
        flagged = [r.flagged for r in results]
        high = sum(r.risk == "high" for r in results)
        measure = "recall" if group in RISKY else "false alarm"
        rate = sum(flagged) / len(items)
        print(f"  {group:<13} {len(items):>4}  {measure:<12} {rate:>7.1%}  {high:>5}")
        wrong = [(t, r) for t, r, f in zip(items, results, flagged, strict=True)
                 if f != (group in RISKY)]  # fmt: skip
        for text, result in wrong:
            print(f"      {'missed' if group in RISKY else 'alarm'}: {text!r} -> {result.risk}")
        texts += items
    return texts


def throughput(texts: list[str], seconds: float = 2.0) -> float:
    """Checks per second over the given texts, after a warm-up."""
    for t in texts:
        check_risk(t)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for t in texts:
            check_risk(t)
        count += len(texts)
    return count / (time.perf_counter() - start)


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    lexicon()
    print(
        f"lexicon load + compile: {(time.perf_counter() - start) * 1000:.0f} ms (once per process)"
    )
    start = time.perf_counter()
    check_risk("")
    print(f"first check (concepts, screen): {(time.perf_counter() - start) * 1000:.0f} ms (once)")
    files = [Path(a).resolve() for a in argv] or [p for p in DEFAULT_FILES if p.exists()]
    texts = [t for path in files for t in report(path)]
    mean_len = sum(len(t) for t in texts) / len(texts)
    print(f"\nthroughput: {throughput(texts):,.0f} checks/s (mean text {mean_len:.0f} chars)")
    mentor = [c["text"] for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))]
    mentor_len = sum(len(t) for t in mentor) / len(mentor)
    rate = throughput(mentor)
    print(
        f"typical mentor turns (tests/coding/cases.yaml, {len(mentor)} texts, mean {mentor_len:.0f}"
        f" chars): {rate:,.0f} checks/s ({1e6 / rate:.0f} us per turn)"
    )
    long_text = " ".join(texts[:40])
    print(f"one {len(long_text)}-char text: {throughput([long_text], 1.0):,.0f} checks/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
