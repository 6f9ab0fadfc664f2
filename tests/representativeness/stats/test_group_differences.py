"""Answers by group: shares, intervals, tests, adjustment and flags against independent answers.

scipy and statsmodels compute the expected figures here, in the test; the Rao-Scott test is checked
against R's survey::svychisq (golden/rao_scott_golden.R and its output, committed beside this file).
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from representativeness.stats.contingency import (
    CHI_SQUARE,
    FISHER,
    difference_test,
    fisher_exact_2x2,
    pearson_chi_square,
)
from representativeness.stats.group_differences import (
    DifferenceFlag,
    DifferenceRule,
    benjamini_hochberg,
    compare_counts,
    compare_weighted,
    difference_flag,
    kish_effective_size,
    net_agreement,
    newcombe_interval,
)
from representativeness.stats.rao_scott import _chi2_sf, _f_sf, rao_scott_test
from representativeness.stats.weighted_results import wilson_bounds, wilson_interval

GOLDEN = Path(__file__).parent / "golden"

TABLES = [
    [[30, 70], [120, 80]],
    [[3, 9], [40, 60]],
    [[0, 12], [25, 63]],
    [[5, 5], [5, 5]],
    [[1, 19], [19, 1]],
    [[7, 2], [3, 11]],
]


@pytest.mark.parametrize("table", [*TABLES, [[10, 20, 30], [25, 5, 12]], [[4, 0, 9, 2], [11, 3, 0, 8], [6, 6, 6, 1]]])
def test_pearson_chi_square_matches_scipy(table) -> None:
    statistic, df, p = pearson_chi_square(table)
    expected = stats.chi2_contingency(np.array(table), correction=False)
    assert statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert df == expected.dof
    assert p == pytest.approx(expected.pvalue, rel=1e-10)


@pytest.mark.parametrize("table", [*TABLES, [[2, 7], [8, 2]], [[0, 5], [5, 0]], [[3, 3], [3, 3]], [[1, 0], [0, 1]]])
def test_fisher_exact_matches_scipy_two_sided(table) -> None:
    assert fisher_exact_2x2(table) == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


def test_small_expected_counts_use_fishers_exact_test() -> None:
    # Expected count of the top-left cell: 12 * 43 / 112 = 4.6, below 5.
    small = difference_test([[3, 9], [40, 60]])
    assert small.method == FISHER
    assert small.p_value == pytest.approx(stats.fisher_exact([[3, 9], [40, 60]]).pvalue)
    large = difference_test([[30, 70], [120, 80]])
    assert large.method == CHI_SQUARE
    assert large.p_value == pytest.approx(stats.chi2_contingency([[30, 70], [120, 80]], correction=False).pvalue)


def test_everyone_giving_the_same_answer_shows_no_difference() -> None:
    result = difference_test([[0, 12], [0, 88]])
    assert result.p_value == 1.0


def test_group_shares_have_wilson_intervals_as_statsmodels() -> None:
    result = compare_counts(41, 100, 630, 1000)
    assert (result.share, result.others_share) == (0.41, 0.63)
    low, high = proportion_confint(41, 100, alpha=0.05, method="wilson")
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))
    low, high = proportion_confint(630, 1000, alpha=0.05, method="wilson")
    assert (result.others_low, result.others_high) == (pytest.approx(low), pytest.approx(high))
    assert result.difference == pytest.approx(-0.22)


@pytest.mark.parametrize("counts", [(41, 100, 630, 1000), (12, 30, 40, 60), (0, 9, 50, 200), (9, 9, 3, 40)])
def test_difference_interval_is_newcombes_as_statsmodels(counts) -> None:
    chose, size, others_chose, others_size = counts
    result = compare_counts(chose, size, others_chose, others_size)
    low, high = confint_proportions_2indep(chose, size, others_chose, others_size, method="newcomb", compare="diff")
    assert result.difference_low == pytest.approx(low, abs=1e-12)
    assert result.difference_high == pytest.approx(high, abs=1e-12)


def test_comparison_tests_the_two_by_two_table_of_group_and_everyone_else() -> None:
    result = compare_counts(41, 100, 630, 1000)
    expected = stats.chi2_contingency([[41, 59], [630, 370]], correction=False).pvalue
    assert result.test == CHI_SQUARE
    assert result.p_value == pytest.approx(expected)


def test_benjamini_hochberg_by_hand() -> None:
    p = [0.01, 0.04, 0.03, 0.005, math.nan, 0.5]
    # Sorted testable p: 0.005, 0.01, 0.03, 0.04, 0.5 (m = 5): p * m / rank = 0.025, 0.025, 0.05, 0.05, 0.5,
    # then the running minimum from the top.
    expected = [0.025, 0.05, 0.05, 0.025, math.nan, 0.5]
    np.testing.assert_allclose(benjamini_hochberg(p), expected, rtol=1e-12)


def test_flags_are_never_more_certain_than_the_data() -> None:
    rule = DifferenceRule(margin=0.10)
    assert difference_flag(0.001, -0.30, -0.14, rule=rule) is DifferenceFlag.LOWER
    assert difference_flag(0.001, 0.02, 0.06, rule=rule) is DifferenceFlag.HIGHER
    # Significant but the interval crosses zero (Fisher and Newcombe can disagree at the edge): not a finding.
    assert difference_flag(0.04, -0.01, 0.06, rule=rule) is DifferenceFlag.SIMILAR
    assert difference_flag(0.40, -0.06, 0.08, rule=rule) is DifferenceFlag.SIMILAR
    # A small group: not significant, and the interval reaches 30 points either way.
    assert difference_flag(0.60, -0.30, 0.25, rule=rule) is DifferenceFlag.TOO_FEW_TO_TELL
    # Significant before adjusting is not enough.
    assert difference_flag(0.07, -0.25, -0.02, rule=rule) is DifferenceFlag.TOO_FEW_TO_TELL
    assert difference_flag(math.nan, math.nan, math.nan, rule=rule) is DifferenceFlag.TOO_FEW_TO_TELL


def test_a_small_group_is_too_few_to_tell_not_similar() -> None:
    result = compare_counts(5, 12, 600, 1000)  # 42% against 60%: 12 people cannot tell us
    q = benjamini_hochberg([result.p_value])[0]
    assert difference_flag(q, result.difference_low, result.difference_high) is DifferenceFlag.TOO_FEW_TO_TELL


def test_net_agreement_is_agree_minus_disagree() -> None:
    assert net_agreement(0.63, 0.21) == pytest.approx(0.42)


# -- Weighted: Rao-Scott against R ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "rao_scott_sample.csv")


@pytest.fixture(scope="module")
def golden() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "rao_scott_golden.csv").set_index("table")


def aggregated(sample: pd.DataFrame, row: pd.Series, column: pd.Series) -> pd.DataFrame:
    """Respondents grouped by (row, column, weight), as the database hands them over."""
    frame = pd.DataFrame({"row": row, "column": column, "weight": sample["weight"]})
    return frame.groupby(["row", "column", "weight"], as_index=False).size()


def test_rao_scott_matches_svychisq_on_a_three_by_four_table(sample, golden) -> None:
    rows = pd.Categorical(sample["group"]).codes
    columns = pd.Categorical(sample["answer"]).codes
    cells = aggregated(sample, rows, columns)
    assert len(cells) < len(sample)  # the test really runs on grouped respondents
    result = rao_scott_test(cells["row"], cells["column"], cells["weight"], cells["size"], shape=(3, 4))
    expected = golden.loc["group_by_answer"]
    assert result.pearson == pytest.approx(expected["pearson"], rel=1e-9)
    assert result.statistic == pytest.approx(expected["f_statistic"], rel=1e-9)
    assert result.ndf == pytest.approx(expected["ndf"], rel=1e-9)
    assert result.ddf == pytest.approx(expected["ddf"], rel=1e-9)
    assert result.p_value == pytest.approx(expected["p_value"], rel=1e-8)
    assert result.p_value_chisq == pytest.approx(expected["p_value_chisq"], rel=1e-8)


@pytest.mark.parametrize(
    ("table", "group", "answer"),
    [
        ("disabled_by_agree", "Disabled", "Agree"),
        ("carer_by_agree", "Carer", "Agree"),
        ("disabled_by_dont_know", "Disabled", "Don't know"),
    ],
)
def test_weighted_group_comparison_uses_rao_scott_as_svychisq(sample, golden, table, group, answer) -> None:
    in_group = sample["group"] == group
    chose = sample["answer"] == answer
    cells = aggregated(sample, in_group, chose)
    result = compare_weighted(cells["row"], cells["column"], cells["weight"], cells["size"])
    assert result.test == "rao_scott"
    assert result.p_value == pytest.approx(golden.loc[table, "p_value"], rel=1e-8)
    # Shares weighted, intervals on each side's Kish effective sample size.
    w = sample["weight"]
    share = (w * (in_group & chose)).sum() / w[in_group].sum()
    assert result.share == pytest.approx(share)
    effective = w[in_group].sum() ** 2 / (w[in_group] ** 2).sum()
    assert result.effective_size == pytest.approx(effective)
    assert result.respondents == in_group.sum()
    low, high = proportion_confint(share * effective, effective, method="wilson")
    assert (result.low, result.high) == (pytest.approx(low), pytest.approx(high))


def test_with_equal_weights_rao_scott_is_pearson_scaled_by_n_minus_one_over_n() -> None:
    # Weights all 1: Delta = n / (n - 1), so F = X^2 (n - 1) / n on (1, n - 1) degrees of freedom.
    table = np.array([[30, 70], [120, 80]])
    rows, columns = np.nonzero(np.ones_like(table))
    result = rao_scott_test(rows, columns, np.ones(4), table[rows, columns], shape=(2, 2))
    pearson = stats.chi2_contingency(table, correction=False).statistic
    n = table.sum()
    assert result.pearson == pytest.approx(pearson)
    assert result.statistic == pytest.approx(pearson * (n - 1) / n)
    assert result.p_value == pytest.approx(stats.f.sf(pearson * (n - 1) / n, 1, n - 1))


def test_kish_effective_size_by_hand() -> None:
    # Ten respondents with weight 1 and ten with weight 3: (10 + 30)^2 / (10 + 90) = 16.
    assert kish_effective_size([1, 3], [10, 10]) == pytest.approx(16)


def test_newcombe_interval_on_no_one_is_undefined() -> None:
    assert all(math.isnan(v) for v in newcombe_interval(0.5, 0, 0.5, 10))


def test_one_wilson_interval_at_a_time_is_the_array_ones_to_the_last_digit() -> None:
    rng = np.random.default_rng(16)
    shares = [0.0, 1.0, 0.5, *rng.uniform(0, 1, 500)]
    sizes = [0.0, 1e-9, 1.0, 7.5, math.inf, *rng.uniform(0, 5000, 500)]
    for share, size in zip(shares * 2, sizes + sizes[::-1], strict=False):
        (low,), (high,) = wilson_interval([share], [size])
        assert wilson_bounds(share, size) == pytest.approx((float(low), float(high)), rel=0, abs=0, nan_ok=True)


def test_the_rao_scott_p_values_are_scipys_distributions_to_the_last_digit() -> None:
    rng = np.random.default_rng(16)
    for statistic, ndf, ddf in zip(
        rng.exponential(3, 500), rng.uniform(0.2, 6, 500), rng.uniform(1, 1e6, 500), strict=True
    ):
        assert _f_sf(statistic, ndf, ddf) == float(stats.f.sf(statistic, ndf, ddf))
        assert _chi2_sf(statistic, ndf) == float(stats.chi2.sf(statistic, ndf))
    for statistic in (0.0, math.inf, math.nan):
        assert _f_sf(statistic, 1.0, 10.0) == pytest.approx(float(stats.f.sf(statistic, 1.0, 10.0)), nan_ok=True)
