"""Did one group answer a question differently from everyone else? Shares, intervals, tests and flags.

For one answer ("agree", or one option of a question) and one group (disabled respondents, say) the
comparison is a 2 x 2 table: the group and everyone else who gave a different answer to the same
characteristic, by chose the answer and did not. Each side's share gets a 95% Wilson interval; the
difference (group minus everyone else, in percentage points) gets Newcombe's hybrid score interval,
built from the two Wilson intervals; the test is `contingency.difference_test` (chi-square, Fisher's
exact test where an expected count is below 5). Weighted, the shares use the raking weights, the
intervals use Kish's effective sample size of each side, and the test is Rao-Scott's (`rao_scott`).

The flag is read the way the representativeness report reads its own: never more certain than the
data.

- `higher` / `lower`: the Benjamini-Hochberg q-value is below 0.05 and the interval on the difference
  is wholly above / below zero;
- `similar`: not that, and the whole interval on the difference lies within +/- `margin` (10 points by
  default): any difference there might be is small;
- `too_few_to_tell` ("can't tell yet"): anything else. A group of 12 whose interval runs from -30 to +25
  points is not "no different"; it is too small to tell.

Pure functions on numpy arrays: no Django here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from statsmodels.stats.multitest import multipletests

from representativeness.stats.contingency import MIN_EXPECTED, difference_test
from representativeness.stats.rao_scott import rao_scott_table
from representativeness.stats.weighted_results import wilson_bounds

RAO_SCOTT = "rao_scott"


class DifferenceFlag(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    SIMILAR = "similar"
    TOO_FEW_TO_TELL = "too_few_to_tell"


@dataclass(frozen=True, slots=True)
class DifferenceRule:
    """Thresholds for the difference flag. `margin` is a proportion (0.10 = 10 percentage points)."""

    q_threshold: float = 0.05
    margin: float = 0.10
    confidence: float = 0.95
    min_expected: float = MIN_EXPECTED

    def __post_init__(self) -> None:
        if not 0 < self.q_threshold < 1:
            raise ValueError("DifferenceRule.q_threshold must be between 0 and 1")
        if not 0 < self.margin < 1:
            raise ValueError("DifferenceRule.margin must be between 0 and 1")
        if not 0 < self.confidence < 1:
            raise ValueError("DifferenceRule.confidence must be between 0 and 1")


DEFAULT_RULE = DifferenceRule()


@dataclass(frozen=True)
class GroupComparison:
    """One group against everyone else, for one answer.

    `respondents` / `others_respondents`: people who answered the question on each side (unweighted);
    `effective_size` / `others_effective_size`: Kish's effective sample size (equal to the respondents
    when unweighted). Shares and differences are proportions; `p_value` is the test's, before adjusting.
    """

    respondents: int
    others_respondents: int
    share: float
    low: float
    high: float
    others_share: float
    others_low: float
    others_high: float
    difference: float
    difference_low: float
    difference_high: float
    p_value: float
    test: str
    effective_size: float
    others_effective_size: float


def newcombe_interval(
    share: float, size: float, others_share: float, others_size: float, *, confidence: float = 0.95
) -> tuple[float, float]:
    """Newcombe's hybrid score interval (his method 10) for share - others_share, on sizes that may be
    effective sample sizes. NaN when either side has no one."""
    if not (size > 0 and others_size > 0):
        return math.nan, math.nan
    low1, high1 = wilson_bounds(share, size, confidence)
    low2, high2 = wilson_bounds(others_share, others_size, confidence)
    return _newcombe(share, low1, high1, others_share, low2, high2)


def _newcombe(
    share: float, low1: float, high1: float, others_share: float, low2: float, high2: float
) -> tuple[float, float]:
    """Newcombe's interval from each side's share and Wilson interval."""
    difference = share - others_share
    low = difference - math.sqrt((share - low1) ** 2 + (high2 - others_share) ** 2)
    high = difference + math.sqrt((high1 - share) ** 2 + (others_share - low2) ** 2)
    return float(low), float(high)


def _side(chose: float, size: float, effective: float, confidence: float) -> tuple[float, float, float]:
    if size <= 0:
        return math.nan, math.nan, math.nan
    share = chose / size
    low, high = wilson_bounds(share, effective, confidence)
    return share, low, high


def compare_counts(
    chose: int, respondents: int, others_chose: int, others_respondents: int, *, rule: DifferenceRule = DEFAULT_RULE
) -> GroupComparison:
    """The unweighted comparison of a group (`chose` of `respondents`) with everyone else."""
    if min(chose, respondents, others_chose, others_respondents) < 0:
        raise ValueError("Counts must not be negative.")
    if chose > respondents or others_chose > others_respondents:
        raise ValueError("More people chose an answer than answered.")
    test = difference_test(
        [[chose, respondents - chose], [others_chose, others_respondents - others_chose]],
        min_expected=rule.min_expected,
    )
    return _comparison(
        (respondents, float(respondents), chose, float(respondents)),
        (others_respondents, float(others_respondents), others_chose, float(others_respondents)),
        p_value=test.p_value,
        test=test.method,
        rule=rule,
    )


def _comparison(
    group: tuple[int, float, float, float],
    others: tuple[int, float, float, float],
    *,
    p_value: float,
    test: str,
    rule: DifferenceRule,
) -> GroupComparison:
    """Each side is (respondents, total weight, weight of those who chose the answer, effective size)."""
    (n1, total1, chose1, eff1), (n2, total2, chose2, eff2) = group, others
    share, low, high = _side(chose1, total1, eff1, rule.confidence)
    o_share, o_low, o_high = _side(chose2, total2, eff2, rule.confidence)
    # Newcombe's interval is built from the two Wilson intervals just worked out.
    d_low, d_high = (math.nan, math.nan)
    if eff1 > 0 and eff2 > 0:
        d_low, d_high = _newcombe(share, low, high, o_share, o_low, o_high)
    return GroupComparison(
        respondents=n1,
        others_respondents=n2,
        share=share,
        low=low,
        high=high,
        others_share=o_share,
        others_low=o_low,
        others_high=o_high,
        difference=share - o_share,
        difference_low=d_low,
        difference_high=d_high,
        p_value=p_value,
        test=test,
        effective_size=eff1,
        others_effective_size=eff2,
    )


def kish_effective_size(weight: npt.ArrayLike, count: npt.ArrayLike) -> float:
    """(sum of weights)^2 / sum of squared weights, over respondents given as (weight, how many)."""
    w = np.asarray(weight, dtype=np.float64)
    m = np.asarray(count, dtype=np.float64)
    return kish_from_sums(float((m * w).sum()), float((m * w * w).sum()))


def kish_from_sums(total: float, squares: float) -> float:
    """Kish's effective size from the sum of the weights and the sum of their squares: total^2 / squares."""
    return total * total / squares if squares > 0 else 0.0


def compare_weighted(
    in_group: npt.ArrayLike,
    chose: npt.ArrayLike,
    weight: npt.ArrayLike,
    count: npt.ArrayLike,
    *,
    rule: DifferenceRule = DEFAULT_RULE,
) -> GroupComparison:
    """The weighted comparison, from groups of respondents sharing a side, an answer and a weight.

    `in_group`, `chose`: booleans per row; `weight`: each of the row's respondents' weight; `count`:
    how many respondents the row holds.
    """
    g = np.asarray(in_group, dtype=bool)
    c = np.asarray(chose, dtype=bool)
    w = np.asarray(weight, dtype=np.float64)
    m = np.asarray(count, dtype=np.float64)
    cell = np.where(g, 0, 2) + np.where(c, 0, 1)  # (group, chose), (group, not), (others, chose), (others, not)

    def table(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.bincount(cell, weights=values, minlength=4).reshape(2, 2)

    return compare_weighted_table(table(m), table(m * w), table(m * w * w), rule=rule)


def compare_weighted_table(
    respondents: npt.ArrayLike, weights: npt.ArrayLike, squares: npt.ArrayLike, *, rule: DifferenceRule = DEFAULT_RULE
) -> GroupComparison:
    """The weighted comparison from its 2 x 2 table (rows: the group, everyone else; columns: chose the
    answer, did not): each cell's respondents, and the sums of their weights and of their squared weights.
    Shares, Kish's effective sizes and the Rao-Scott test are all sums over respondents of terms that
    depend on their cell and weight only, so these are enough, however the respondents were counted."""
    n = np.asarray(respondents, dtype=np.float64).reshape(2, 2)
    w = np.asarray(weights, dtype=np.float64).reshape(2, 2)
    w2 = np.asarray(squares, dtype=np.float64).reshape(2, 2)
    sides = []
    for side in (0, 1):
        total = float(w[side].sum())
        sides.append(
            (int(round(n[side].sum())), total, float(w[side, 0]), kish_from_sums(total, float(w2[side].sum())))
        )
    p_value = rao_scott_table(n, w, w2).p_value
    if math.isnan(p_value) and sides[0][0] > 0 and sides[1][0] > 0:
        p_value = 1.0  # everyone gave the same answer: nothing differs
    return _comparison(sides[0], sides[1], p_value=p_value, test=RAO_SCOTT, rule=rule)


def benjamini_hochberg(p_values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Benjamini-Hochberg q-values over one family; NaN p-values stay NaN and are not counted."""
    p = np.asarray(p_values, dtype=np.float64)
    q = np.full(p.shape, np.nan)
    testable = ~np.isnan(p)
    if testable.any():
        q[testable] = multipletests(p[testable], method="fdr_bh")[1]
    return q


def difference_flag(
    q_value: float, difference_low: float, difference_high: float, *, rule: DifferenceRule = DEFAULT_RULE
) -> DifferenceFlag:
    """The flag for one comparison (see the module docstring)."""
    if math.isnan(difference_low) or math.isnan(difference_high):
        return DifferenceFlag.TOO_FEW_TO_TELL
    if not math.isnan(q_value) and q_value < rule.q_threshold:
        if difference_low > 0:
            return DifferenceFlag.HIGHER
        if difference_high < 0:
            return DifferenceFlag.LOWER
    if -rule.margin <= difference_low and difference_high <= rule.margin:
        return DifferenceFlag.SIMILAR
    return DifferenceFlag.TOO_FEW_TO_TELL


def net_agreement(agree_share: float, disagree_share: float) -> float:
    """Agree minus disagree, as a proportion of everyone who answered (-1 to 1)."""
    return agree_share - disagree_share
