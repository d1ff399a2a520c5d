"""Save a run's outputs, or compare them with a saved run: the half the equivalence tools share
(`risk_equivalence.py`, `output_equivalence.py`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def save_or_compare(mode: str, out: Path, results: dict[str, Any], noun: str) -> int:
    """`save`: write `results` to `out`. `compare`: print the first differences from what `out`
    holds and return 1 when there is any (or a saved key this run lacks), else 0."""
    if mode == "save":
        out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
        print(f"saved to {out}")
        return 0
    saved: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    missing = [k for k in saved if k not in results]
    diffs = [k for k in saved if k in results and results[k] != saved[k]]
    for key in diffs[:50]:
        before, after = (
            json.dumps(x, ensure_ascii=False)[:300] for x in (saved[key], results[key])
        )
        print(f"DIFF {key[:120]!r}\n  before {before}\n  after  {after}")
    print(
        f"compared {len(saved) - len(missing)} {noun}: {len(diffs)} differences"
        + (f", {len(missing)} not in this run" if missing else "")
    )
    return 1 if diffs or missing else 0
