"""Check that `check_risk` gives the same answers as a saved run: for refactoring the risk check.

Run: .venv/bin/python benchmarks/risk_equivalence.py save [OUT.json]
     .venv/bin/python benchmarks/risk_equivalence.py compare [OUT.json]
(default OUT: $TMPDIR/risk_equivalence.json)

The texts: every phrasing in tests/safety/*.yaml, every `text` (and `context`) in
tests/coding/cases.yaml, every string in scenarios/*.yaml (mentee talk), and, when it is there,
the `text` and `context` fields of ../shared/data/esconv_supporter.jsonl (read locally, never
copied into the repo). `save` stores (risk, reasons) per text; `compare` prints every difference
and exits 1 when there is any.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from benchmarks.saved_outputs import save_or_compare
from server.safety import check_risk

ROOT = Path(__file__).resolve().parent.parent
ESCONV = ROOT.parent / "shared/data/esconv_supporter.jsonl"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "risk_equivalence.json"


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def corpus() -> list[str]:
    """Every text the check is compared on, deduplicated, in a fixed order."""
    texts: list[str] = []
    for path in sorted((ROOT / "tests/safety").glob("*.yaml")):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for case in yaml.safe_load((ROOT / "tests/coding/cases.yaml").read_text(encoding="utf-8")):
        texts += [case[k] for k in ("text", "context") if isinstance(case.get(k), str)]
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    if ESCONV.exists():
        for line in ESCONV.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts += [row[k] for k in ("text", "context") if isinstance(row.get(k), str)]
    # Joined texts exercise multi-sentence paths (several matches, cue fallback over sentences).
    joined = [" ".join(texts[i : i + 5]) for i in range(0, min(len(texts), 3000), 5)]
    return list(dict.fromkeys(texts + joined))


def run(texts: list[str]) -> dict[str, list[object]]:
    """(risk, reasons) for every text."""
    out: dict[str, list[object]] = {}
    for text in texts:
        result = check_risk(text)
        out[text] = [result.risk, result.reasons]
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("save", "compare"):
        print(__doc__)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    texts = corpus()
    start = time.perf_counter()
    results = run(texts)
    took = time.perf_counter() - start
    flagged = sum(r[0] != "none" for r in results.values())
    print(f"{len(texts)} texts checked in {took:.1f} s ({flagged} flagged)")
    return save_or_compare(argv[0], out, results, "texts")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
