"""Check that the coder, the practice engine and the report give the same output as a saved run:
for refactoring them for speed (not a test).

Run: .venv/bin/python benchmarks/output_equivalence.py save [OUT.json]
     .venv/bin/python benchmarks/output_equivalence.py compare [OUT.json]
(default OUT: $TMPDIR/output_equivalence.json)

What is compared, each as its JSON:
- `code_turn(text, context)` for every case of tests/coding/cases.yaml, the load benchmark's
  trainee lines and, when it is there, every supporter turn of ../shared/data/esconv_supporter.jsonl
  (read locally, never copied into the repo);
- every turn (mentor coded, mentee annotated, the state after it, the nudge) of a practice session
  of 15 turns for every built-in scenario with every framework;
- the report of each of those sessions after 5, 10 and 15 turns.
`save` stores them; `compare` prints the first differences and exits 1 when there is any.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import LINES  # noqa: E402
from benchmarks.saved_outputs import save_or_compare  # noqa: E402
from server.coding import code_turn  # noqa: E402
from server.frameworks import load_all as load_frameworks  # noqa: E402
from server.practice.engine import start, take_turn  # noqa: E402
from server.scenarios import load_all as load_scenarios  # noqa: E402
from server.scoring import build_report  # noqa: E402

ESCONV = ROOT.parent / "shared/data/esconv_supporter.jsonl"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "output_equivalence.json"
TURNS = 15


def coder_inputs() -> list[tuple[str, str | None]]:
    cases = yaml.safe_load((ROOT / "tests/coding/cases.yaml").read_text(encoding="utf-8"))
    found = [(c["text"], c.get("context")) for c in cases]
    found += [(line, None) for line in LINES]
    if ESCONV.exists():
        for line in ESCONV.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found.append((row["text"], row.get("context")))
    return list(dict.fromkeys(found))


def run() -> dict[str, str]:
    out: dict[str, str] = {}
    for text, context in coder_inputs():
        out[f"code {context!r} {text!r}"] = json.dumps(code_turn(text, context).to_json())
    scenarios, frameworks = load_scenarios(), load_frameworks()
    for n, (sid, spec) in enumerate(sorted(scenarios.items())):
        for fid, engine in sorted(frameworks.items()):
            state, opening = start(spec, engine, n)
            turns = [opening]
            for t in range(TURNS):
                outcome = take_turn(spec, engine, state, turns, LINES[(t * 7 + n) % len(LINES)])
                state, turns = outcome.state, [*turns, outcome.mentor, outcome.mentee]
                out[f"turn {sid} {fid} {t}"] = json.dumps(
                    [
                        outcome.mentor.model_dump(mode="json"),
                        outcome.mentee.model_dump(mode="json"),
                        state.model_dump(mode="json"),
                        outcome.nudge,
                    ]
                )
                if t % 5 == 4:
                    report = build_report(
                        turns, engine=engine, scenario=spec, framework_state=state.framework_state
                    )
                    out[f"report {sid} {fid} {t}"] = report.model_dump_json()
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("save", "compare"):
        print(__doc__)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    began = time.perf_counter()
    results = run()
    kinds = {kind: sum(k.startswith(kind) for k in results) for kind in ("code", "turn", "report")}
    print(
        f"{kinds['code']} coded turns, {kinds['turn']} practice turns, {kinds['report']} reports "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return save_or_compare(argv[0], out, results, "outputs")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
