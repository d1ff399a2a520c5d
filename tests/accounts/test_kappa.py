"""Cohen's kappa on known values."""

from __future__ import annotations

import pytest

from server.service.kappa import binary_kappa, cohen_kappa


def test_the_textbook_two_by_two_table_gives_0_4() -> None:
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 (Wikipedia's example).
    assert binary_kappa(20, 5, 10, 15) == pytest.approx(0.4)


def test_another_published_table_gives_0_1304() -> None:
    # both yes 45, A only 15, B only 25, neither 15: p_o 0.6, p_e 0.54 -> 0.1304.
    assert binary_kappa(45, 15, 25, 15) == pytest.approx(0.130434, abs=1e-5)


def test_perfect_agreement_is_one_and_systematic_disagreement_is_negative() -> None:
    assert cohen_kappa([("a", "a"), ("b", "b"), ("c", "c")]) == pytest.approx(1.0)
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_three_categories() -> None:
    pairs = [("q", "q")] * 5 + [("q", "r")] * 1 + [("r", "r")] * 3 + [("s", "s")] * 1
    # p_o = 0.9; p_e = (6*5 + 3*4 + 1*1) / 100 = 0.43 -> (0.9 - 0.43) / 0.57
    assert cohen_kappa(pairs) == pytest.approx((0.9 - 0.43) / 0.57)


def test_undefined_without_items_or_when_one_label_is_all_there_is() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
