"""Tests of association for a table of counts: Pearson's chi-square, and Fisher's exact test for 2 x 2.

`difference_test` is the rule the equality analysis uses for "did this group answer differently from
everyone else?" on a 2 x 2 table (group / everyone else by chose the answer / did not): Pearson's
chi-square without a continuity correction while every expected count is at least `min_expected`
(5, Cochran's rule), Fisher's exact test (two-sided, summing every table no more likely than the one
observed) otherwise.

Pure functions on numpy arrays: no Django here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special, stats

# Tables whose probability is within this (relative) of the observed one's count as "as likely":
# floating point must not decide whether a tied table enters the two-sided p-value.
_TIE_RTOL = 1e-7
MIN_EXPECTED = 5.0

CHI_SQUARE = "chi_square"
FISHER = "fisher_exact"


@dataclass(frozen=True)
class TestResult:
    """A test of association: `method` is "chi_square" or "fisher_exact"; NaN where nothing can be tested."""

    __test__ = False  # not a pytest class

    statistic: float
    df: int
    p_value: float
    method: str
    min_expected: float


def expected_counts(table: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The counts independence would give: row total x column total / grand total."""
    observed = np.asarray(table, dtype=np.float64)
    total = observed.sum()
    if total <= 0:
        return np.zeros_like(observed)
    return np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total


def pearson_chi_square(table: npt.ArrayLike) -> tuple[float, int, float]:
    """Pearson's X^2 (no continuity correction), its degrees of freedom and p-value.

    Rows or columns with no one in them are left out (they carry no information); with fewer than two
    rows or columns left there is nothing to test and the result is (nan, 0, nan).
    """
    observed = np.asarray(table, dtype=np.float64)
    observed = observed[observed.sum(axis=1) > 0][:, observed.sum(axis=0) > 0]
    rows, columns = observed.shape
    if rows < 2 or columns < 2:
        return math.nan, 0, math.nan
    expected = expected_counts(observed)
    statistic = float(((observed - expected) ** 2 / expected).sum())
    df = (rows - 1) * (columns - 1)
    # The chi-square distribution's survival function itself (stats.chi2.sf checks its arguments first,
    # a hundred times the cost, and the equality analysis runs hundreds of these).
    return statistic, df, float(special.chdtrc(df, statistic))


def fisher_exact_2x2(table: npt.ArrayLike) -> float:
    """Two-sided p-value of Fisher's exact test on a 2 x 2 table of counts.

    With the margins fixed, the top-left count follows a hypergeometric distribution; the p-value is the
    probability of every table no more likely than the one observed.
    """
    observed = np.asarray(table, dtype=np.int64)
    if observed.shape != (2, 2) or (observed < 0).any():
        raise ValueError("Fisher's exact test needs a 2 x 2 table of non-negative counts.")
    (a, b), (c, _d) = observed
    row1, column1, total = a + b, a + c, int(observed.sum())
    if total == 0:
        return math.nan
    distribution = stats.hypergeom(total, column1, row1)
    low, high = max(0, row1 + column1 - total), min(row1, column1)
    support = np.arange(low, high + 1)
    probabilities = distribution.pmf(support)
    observed_probability = distribution.pmf(a)
    p = probabilities[probabilities <= observed_probability * (1 + _TIE_RTOL)].sum()
    return float(min(1.0, p))


def difference_test(table: npt.ArrayLike, *, min_expected: float = MIN_EXPECTED) -> TestResult:
    """Chi-square on a 2 x 2 table, or Fisher's exact test when an expected count is below `min_expected`.

    A table with an empty row or column (nobody in the group, or everyone gave the same answer) shows
    no difference to test: p = 1 with the method that would have been used.
    """
    observed = np.asarray(table, dtype=np.float64)
    if observed.shape != (2, 2):
        raise ValueError("difference_test needs a 2 x 2 table.")
    if (observed < 0).any() or not np.isfinite(observed).all():
        raise ValueError("Counts must be finite and non-negative.")
    expected = expected_counts(observed)
    smallest = float(expected.min())
    if observed.sum() == 0:
        return TestResult(math.nan, 1, math.nan, CHI_SQUARE, 0.0)
    if (observed.sum(axis=0) == 0).any() or (observed.sum(axis=1) == 0).any():
        return TestResult(0.0, 1, 1.0, FISHER if smallest < min_expected else CHI_SQUARE, smallest)
    if smallest < min_expected:
        return TestResult(math.nan, 1, fisher_exact_2x2(observed.round().astype(np.int64)), FISHER, smallest)
    statistic, df, p = pearson_chi_square(observed)
    return TestResult(statistic, df, p, CHI_SQUARE, smallest)
