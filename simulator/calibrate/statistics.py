"""Agreement statistics in pure Python: Cohen's κ, quadratic-weighted κ, Pearson's r, the
borderline-regression cut. Each returns None when the figure is undefined (no data, no variance),
never NaN or an exception: the report then says why in words.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

BANDS = 10
"""Scores 0-100 are compared in ten bands: min(score // 10, 9)."""


def band(score: float) -> int:
    """The band (0-9) of a 0-100 score; 100 falls in band 9 with 90-99."""
    return min(int(score) // 10, BANDS - 1)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's κ of two raters' labels of the same items; None when undefined (no items, or both
    raters gave every item one and the same label so chance agreement is already 1)."""
    _same_length(a, b)
    n = len(a)
    if n == 0:
        return None
    labels = set(a) | set(b)
    observed = sum(1 for x, y in zip(a, b) if x == y) / n
    expected = sum((list(a).count(k) / n) * (list(b).count(k) / n) for k in labels)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def weighted_kappa(a: Sequence[int], b: Sequence[int], categories: int = BANDS) -> float | None:
    """Quadratic-weighted κ of two ratings on the ordered categories 0..categories-1 (Cohen 1968):
    1 - Σ w·O / Σ w·E with w = (i-j)², O the observed and E the chance table. None when undefined
    (no items, or no disagreement is possible by chance: every rating in one category)."""
    _same_length(a, b)
    n = len(a)
    if n == 0:
        return None
    for x in list(a) + list(b):
        if not 0 <= x < categories:
            raise ValueError(f"rating {x} outside 0..{categories - 1}")
    row = [0] * categories
    col = [0] * categories
    disagreement = 0.0
    for x, y in zip(a, b):
        row[x] += 1
        col[y] += 1
        disagreement += (x - y) ** 2
    chance = sum(row[i] * col[j] * (i - j) ** 2 for i in range(categories) for j in range(categories)) / n
    if chance == 0:
        return None
    return 1.0 - disagreement / chance


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's correlation; None with fewer than two pairs or when either side does not vary."""
    _same_length(x, y)
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((p - mx) * (q - my) for p, q in zip(x, y))
    sxx = sum((p - mx) ** 2 for p in x)
    syy = sum((q - my) ** 2 for q in y)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def mean_absolute_difference(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Mean of |x - y|; None without pairs."""
    _same_length(x, y)
    return sum(abs(p - q) for p, q in zip(x, y)) / len(x) if x else None


def linear_fit(x: Sequence[float], y: Sequence[float]) -> tuple[float, float] | None:
    """Least-squares (intercept, slope) of y on x; None when x does not vary."""
    _same_length(x, y)
    n = len(x)
    if n < 2:
        return None
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((p - mx) ** 2 for p in x)
    if sxx == 0:
        return None
    slope = sum((p - mx) * (q - my) for p, q in zip(x, y)) / sxx
    return my - slope * mx, slope


def borderline_cut(scores: Sequence[float], passed: Sequence[bool], borderline: float = 0.5) -> float | None:
    """The borderline-regression cut: regress the score on the judgement (fail 0, pass 1) and read
    the score predicted at the borderline between them (0.5). None when there are not both passes
    and fails, or when people's passes do not score above their fails (no cut follows)."""
    fit = linear_fit([1.0 if p else 0.0 for p in passed], list(scores))
    if fit is None:
        return None
    intercept, slope = fit
    if slope <= 0:
        return None
    return intercept + slope * borderline


def _same_length(a: Sequence, b: Sequence) -> None:
    if len(a) != len(b):
        raise ValueError(f"paired data of different lengths: {len(a)} and {len(b)}")
