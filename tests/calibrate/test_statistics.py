"""Every statistic against one computed independently: by hand on tiny tables, and by scikit-learn /
NumPy (dev dependencies) on small hand-made data, including the degenerate cases."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from simulator.calibrate.statistics import (
    band, borderline_cut, cohen_kappa, linear_fit, mean_absolute_difference, pearson, weighted_kappa,
)


def test_bands_are_tens_with_100_in_the_top_band():
    assert [band(s) for s in (0, 9, 10, 59, 90, 99, 100)] == [0, 0, 1, 5, 9, 9, 9]


def test_cohen_kappa_by_hand():
    # 2x2 table: both yes 20, a yes/b no 5, a no/b yes 10, both no 15 (n=50).
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    po = 35 / 50
    pe = (25 / 50) * (30 / 50) + (25 / 50) * (20 / 50)
    assert cohen_kappa(a, b) == pytest.approx((po - pe) / (1 - pe))
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_kappa_matches_sklearn_on_random_labels():
    rng = random.Random(7)
    for _ in range(20):
        a = [rng.choice([True, False]) for _ in range(15)]
        b = [x if rng.random() < 0.7 else not x for x in a]
        expected = cohen_kappa_score(a, b)
        got = cohen_kappa(a, b)
        if math.isnan(expected):
            assert got is None
        else:
            assert got == pytest.approx(expected)


def test_cohen_kappa_degenerate():
    assert cohen_kappa([], []) is None
    # All agree, with both labels used: perfect agreement.
    assert cohen_kappa([True, False, True], [True, False, True]) == pytest.approx(1.0)
    # All agree on one label: chance agreement is 1, κ is undefined (not 1, not NaN).
    assert cohen_kappa([True] * 4, [True] * 4) is None
    # One rater never varies, the other does: κ = 0 (agreement no better than chance).
    assert cohen_kappa([True] * 4, [True, False, True, False]) == pytest.approx(0.0)
    with pytest.raises(ValueError):
        cohen_kappa([True], [True, False])


def test_weighted_kappa_by_hand():
    # Three categories, 4 items. a = 0,1,2,2  b = 0,2,2,1. Observed Σ(i-j)² = 0+1+0+1 = 2.
    # Marginals a: [1,1,2], b: [1,1,2]; chance Σ r_i c_j (i-j)² / n = (1*1*1+1*2*4+1*1*1+1*2*1+2*1*4+2*1*1)/4 = 22/4.
    a, b = [0, 1, 2, 2], [0, 2, 2, 1]
    assert weighted_kappa(a, b, categories=3) == pytest.approx(1 - 2 / (22 / 4))


def test_weighted_kappa_matches_sklearn_quadratic():
    rng = random.Random(11)
    for _ in range(30):
        human = [rng.randrange(0, 101) for _ in range(12)]
        machine = [max(0, min(100, h + rng.randint(-25, 25))) for h in human]
        a, b = [band(s) for s in human], [band(s) for s in machine]
        expected = cohen_kappa_score(a, b, weights="quadratic", labels=list(range(10)))
        assert weighted_kappa(a, b) == pytest.approx(expected)


def test_weighted_kappa_degenerate():
    assert weighted_kappa([], []) is None
    assert weighted_kappa([3, 5, 7], [3, 5, 7]) == pytest.approx(1.0)  # all agree
    assert weighted_kappa([4, 4, 4], [4, 4, 4]) is None  # no variance at all: undefined
    assert weighted_kappa([4, 4, 4], [2, 4, 6]) == pytest.approx(0.0)  # one side constant
    # A grader one band off everywhere agrees better than one far off.
    near = weighted_kappa([1, 3, 5, 7], [2, 4, 6, 8])
    far = weighted_kappa([1, 3, 5, 7], [8, 6, 4, 2])
    assert near > 0.5 > far
    with pytest.raises(ValueError):
        weighted_kappa([10], [1])


def test_pearson_matches_numpy_and_degenerate():
    rng = random.Random(3)
    for _ in range(20):
        x = [rng.uniform(0, 100) for _ in range(9)]
        y = [v * 0.5 + rng.uniform(-20, 20) for v in x]
        assert pearson(x, y) == pytest.approx(float(np.corrcoef(x, y)[0, 1]))
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert pearson([5, 5, 5], [1, 2, 3]) is None  # no variance
    assert pearson([1], [1]) is None  # one pair


def test_mean_absolute_difference():
    assert mean_absolute_difference([10, 20, 30], [15, 20, 10]) == pytest.approx((5 + 0 + 20) / 3)
    assert mean_absolute_difference([], []) is None


def test_linear_fit_matches_numpy():
    x, y = [0, 0, 1, 1, 1], [40, 50, 70, 80, 90]
    slope, intercept = np.polyfit(x, y, 1)
    assert linear_fit(x, y) == pytest.approx((intercept, slope))
    assert linear_fit([1, 1], [3, 4]) is None


def test_borderline_cut_by_hand():
    # Failed conversations scored 40, 50, 60; passed ones 70, 80, 90, 100.
    # Regression of score on judgement (0/1) passes through both means: 50 and 85; at 0.5: 67.5.
    scores = [40, 50, 60, 70, 80, 90, 100]
    passed = [False, False, False, True, True, True, True]
    assert borderline_cut(scores, passed) == pytest.approx(67.5)
    intercept, slope = np.polyfit([1.0 if p else 0.0 for p in passed], scores, 1)[::-1]
    assert borderline_cut(scores, passed) == pytest.approx(intercept + slope * 0.5)


def test_borderline_cut_degenerate():
    assert borderline_cut([], []) is None
    assert borderline_cut([60, 70, 80], [True, True, True]) is None  # nobody failed: no turning point
    assert borderline_cut([60, 70, 80], [False, False, False]) is None
    assert borderline_cut([80, 90, 40, 50], [False, False, True, True]) is None  # passes score lower: no cut
