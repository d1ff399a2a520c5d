"""Measure the micro-skill coder on ESConv supporter turns (prints figures; not a test).

    .venv/bin/python benchmarks/coder_esconv.py [--split test] [--data PATH] [--errors N]

Four classes, the coder's primary code against the data's `label`, both mapped alike:
question = open + closed question; reflection = reflection + summary; advice_or_information =
advice + information + signposting; other = everything else (affirmation, roadblock, structuring,
other). Tune on `train` / `valid`; report on `test`. The data is licensed CC BY-NC 4.0 and stays
in ../shared/data: nothing from it ships in the product.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from pathlib import Path

from server.coding import Code, code_turn

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "esconv_supporter.jsonl"
CLASSES = ("question", "reflection", "advice_or_information", "other")
CODE_CLASS = {
    Code.OPEN_QUESTION: "question",
    Code.CLOSED_QUESTION: "question",
    Code.REFLECTION: "reflection",
    Code.SUMMARY: "reflection",
    Code.ADVICE: "advice_or_information",
    Code.INFORMATION: "advice_or_information",
    Code.SIGNPOSTING: "advice_or_information",
}
LABEL_CLASS = {
    "question": "question",
    "reflection": "reflection",
    "advice": "advice_or_information",
    "information": "advice_or_information",
}


def load(path: Path, splits: set[str]) -> list[dict[str, str]]:
    """The rows of the chosen splits."""
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row["split"] in splits]


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts (0 when undefined)."""
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def report(gold: list[str], pred: list[str]) -> None:
    """Accuracy, per-class F1, macro-F1 and the confusion matrix."""
    pairs = Counter(zip(gold, pred, strict=True))
    accuracy = sum(pairs[(c, c)] for c in CLASSES) / len(gold)
    print(f"turns: {len(gold)}   accuracy: {accuracy:.3f}")
    scores = []
    for c in CLASSES:
        tp = pairs[(c, c)]
        fp = sum(pairs[(g, c)] for g in CLASSES if g != c)
        fn = sum(pairs[(c, p)] for p in CLASSES if p != c)
        scores.append(f1(tp, fp, fn))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        print(f"  {c:<22} F1 {scores[-1]:.3f}  precision {precision:.3f}  recall {recall:.3f}")
    print(f"macro-F1 (4 classes): {sum(scores) / len(scores):.3f}")
    print("confusion (rows = data label, columns = coder):")
    short = [c[:10] for c in CLASSES]
    print(" " * 24 + "".join(f"{s:>12}" for s in short))
    for g in CLASSES:
        print(f"  {g:<22}" + "".join(f"{pairs[(g, p)]:>12}" for p in CLASSES))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="comma-separated: train, valid, test")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=int, default=0, help="print N random disagreements")
    args = parser.parse_args()
    rows = load(args.data, set(args.split.split(",")))
    code_turn("Warm up: load the lexicon.")
    started, cpu = time.perf_counter(), time.process_time()
    coded = [code_turn(row["text"], row.get("context")) for row in rows]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    gold = [LABEL_CLASS.get(row["label"], "other") for row in rows]
    pred = [CODE_CLASS.get(turn.primary, "other") for turn in coded]
    print(f"ESConv supporter turns, split {args.split}")
    report(gold, pred)
    print(
        f"speed: {len(rows) / cpu:,.0f} turns/s of CPU time, one core "
        f"({cpu:.2f} s CPU, {elapsed:.2f} s wall)"
    )
    primaries = Counter(turn.primary.value for turn in coded)
    print("primary codes: " + ", ".join(f"{k} {v}" for k, v in primaries.most_common()))
    wrong = [(r, t, g, p) for r, t, g, p in zip(rows, coded, gold, pred, strict=True) if g != p]
    for row, turn, _gold, p in random.Random(0).sample(wrong, min(args.errors, len(wrong))):
        codes = " ".join(
            f"{h.code.value}/{h.detail}" if h.detail else h.code.value for h in turn.codes
        )
        print(
            f"\n[{row['label']} -> {p}] {row['text']}\n    codes: {codes}\n    ctx: {row.get('context')}"
        )


if __name__ == "__main__":
    main()
