"""Cohen's kappa: agreement between two raters beyond what chance would give. Pure.

kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e the agreement expected
from each rater's own label frequencies. Undefined (None) with no items or when chance agreement is
already perfect (both raters used one and the same label throughout).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Kappa over (rater A's label, rater B's label) pairs, or None when undefined."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def binary_kappa(both: int, first_only: int, second_only: int, neither: int) -> float | None:
    """Kappa of a 2x2 table (did each rater give the label?)."""
    pairs: list[tuple[bool, bool]] = (
        [(True, True)] * both
        + [(True, False)] * first_only
        + [(False, True)] * second_only
        + [(False, False)] * neither
    )
    return cohen_kappa(pairs)
