"""How far could any bag-of-words coder get on ESConv? A ceiling, measured, never shipped.

Trains logistic regression on ESConv's own TRAIN split (which the product may not ship: CC BY-NC)
and scores the TEST split on the same four classes as `coder_esconv.py`:

1. TF-IDF of words (1-2 grams) and characters (2-5 grams) of the supporter's turn;
2. the rule coder's codes alone (its primary code and every code with its detail);
3. both stacked.

If even a model fitted to the data's own labels stays under the issue's target, the gap is in the
labels, not in the rules. Needs scikit-learn, which the product does not depend on:

    .venv/bin/pip install scikit-learn
    .venv/bin/python benchmarks/coder_ceiling.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.coder_esconv import CLASSES, CODE_CLASS, DEFAULT_DATA, LABEL_CLASS, load
from server.coding import code_turn


def rule_features(rows: list[dict[str, str]]) -> list[str]:
    """The rule coder's output for each turn, as words."""
    out = []
    for row in rows:
        coded = code_turn(row["text"], row.get("context"))
        words = [f"P_{coded.primary.value}"]
        words += [f"C_{hit.code.value}_{hit.detail}" for hit in coded.codes]
        out.append(" ".join(words))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    try:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import f1_score
    except ImportError:
        print("needs scikit-learn: .venv/bin/pip install scikit-learn", file=sys.stderr)
        return 2
    train, test = load(args.data, {"train"}), load(args.data, {"test"})
    y_train = [LABEL_CLASS.get(r["label"], "other") for r in train]
    y_test = [LABEL_CLASS.get(r["label"], "other") for r in test]
    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True)
    rules = TfidfVectorizer(token_pattern=r"\S+")
    text_train, text_test = [r["text"] for r in train], [r["text"] for r in test]
    x_words = hstack([words.fit_transform(text_train), chars.fit_transform(text_train)])
    t_words = hstack([words.transform(text_test), chars.transform(text_test)])
    x_rules = rules.fit_transform(rule_features(train))
    t_rules = rules.transform(rule_features(test))
    print(f"ESConv: trained on {len(train)} train turns, scored on {len(test)} test turns")
    for name, x, t in (
        ("TF-IDF words + characters", x_words, t_words),
        ("rule coder's codes", x_rules, t_rules),
        ("both stacked", hstack([x_words, x_rules * 3]), hstack([t_words, t_rules * 3])),
    ):
        model = LogisticRegression(C=1, max_iter=3000, class_weight="balanced")
        predicted = model.fit(x, y_train).predict(t)
        per_class = f1_score(y_test, predicted, average=None, labels=list(CLASSES))
        figures = "  ".join(f"{c} {f:.3f}" for c, f in zip(CLASSES, per_class, strict=True))
        macro = f1_score(y_test, predicted, average="macro")
        print(f"{name:<26} macro-F1 {macro:.3f}   {figures}")
    # the coder itself, for comparison, on the same mapping
    own = [CODE_CLASS.get(code_turn(r["text"], r.get("context")).primary, "other") for r in test]
    print(
        f"{'the rule coder as shipped':<26} macro-F1 {f1_score(y_test, own, average='macro'):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
