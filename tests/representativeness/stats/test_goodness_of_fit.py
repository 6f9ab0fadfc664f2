"""Chi-square goodness of fit, with small expected counts merged the documented way."""

import math
from statistics import NormalDist

import pandas as pd
import pytest

from representativeness.stats.goodness_of_fit import chi_square_goodness_of_fit


def _chi2_sf_3df(x: float) -> float:
    """Upper tail of chi-square with 3 degrees of freedom, in closed form."""
    return 2 * (1 - NormalDist().cdf(math.sqrt(x))) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2)


def test_small_expected_counts_are_merged_then_tested():
    # n = 100, expected 50, 30, 10, 6, 3, 1. Merge the two smallest (F 1 + E 3 = 4, still < 5),
    # then that with the next smallest (D 6): D+E+F expects 10. Four groups, df 3.
    respondents = pd.Series({"A": 40, "B": 35, "C": 12, "D": 5, "E": 6, "F": 2})
    census = pd.Series({"A": 500, "B": 300, "C": 100, "D": 60, "E": 30, "F": 10})
    result = chi_square_goodness_of_fit(respondents, census)
    assert result.groups == (("A",), ("B",), ("C",), ("D", "E", "F"))
    assert result.merged == (("D", "E", "F"),)
    assert result.observed == (40, 35, 12, 13)
    assert result.expected == pytest.approx((50, 30, 10, 10))
    # (40-50)^2/50 + (35-30)^2/30 + (12-10)^2/10 + (13-10)^2/10 = 2 + 0.8333 + 0.4 + 0.9
    statistic = 2 + 25 / 30 + 0.4 + 0.9
    assert result.statistic == pytest.approx(statistic)
    assert result.df == 3
    assert result.p_value == pytest.approx(_chi2_sf_3df(statistic))


def test_merged_labels_keep_the_given_order_when_not_neighbours():
    # Expected 2 (A), 50, 3 (C), 45: A and C are the two smallest and merge into one group of 5.
    result = chi_square_goodness_of_fit(
        pd.Series({"A": 1, "B": 50, "C": 4, "D": 45}), pd.Series({"A": 2, "B": 50, "C": 3, "D": 45})
    )
    assert result.groups == (("A", "C"), ("B",), ("D",))
    assert result.df == 2


def test_nothing_merged_when_every_expected_count_is_large_enough():
    result = chi_square_goodness_of_fit(pd.Series({"F": 60, "M": 40}), pd.Series({"F": 51, "M": 49}))
    assert result.merged == ()
    # One df: (60-51)^2/51 + (40-49)^2/49
    assert result.statistic == pytest.approx(81 / 51 + 81 / 49)
    assert result.df == 1


def test_ordered_categories_merge_with_a_neighbour():
    # Age bands, expected 1, 20, 30, 2, 40 (n = 93). The first band can only join the second; then
    # the 2 joins its smaller neighbour (30 rather than 40), keeping bands contiguous.
    bands = ["16-24", "25-34", "35-49", "50-64", "65+"]
    census = pd.Series([1, 20, 30, 2, 40], index=bands)
    respondents = pd.Series([0, 25, 30, 3, 35], index=bands)
    result = chi_square_goodness_of_fit(respondents, census, ordered=True)
    assert result.groups == (("16-24", "25-34"), ("35-49", "50-64"), ("65+",))
    # Unordered, the two smallest (1 and 2) merge, still below 5, so they take in the 20 as well.
    unordered = chi_square_goodness_of_fit(respondents, census)
    assert unordered.groups == (("16-24", "25-34", "50-64"), ("35-49",), ("65+",))


def test_a_census_zero_with_respondents_is_merged_not_infinite():
    result = chi_square_goodness_of_fit(
        pd.Series({"Christian": 60, "No religion": 35, "Jedi": 5}),
        pd.Series({"Christian": 600, "No religion": 400, "Jedi": 0}),
    )
    assert math.isfinite(result.statistic)
    assert ("No religion", "Jedi") in result.merged


def test_too_little_to_test():
    # n = 6: no split of these categories reaches 5 expected twice, so all merge into one group.
    result = chi_square_goodness_of_fit(pd.Series({"A": 3, "B": 3}), pd.Series({"A": 50, "B": 50}))
    assert result.groups == (("A", "B"),)
    assert result.df == 0
    assert math.isnan(result.statistic) and math.isnan(result.p_value)


def test_nobody_answered():
    result = chi_square_goodness_of_fit(pd.Series({"A": 0, "B": 0}), pd.Series({"A": 50, "B": 50}))
    assert result.df == 0 and math.isnan(result.p_value)


def test_minimum_expected_is_a_parameter():
    respondents = pd.Series({"A": 5, "B": 3, "C": 92})
    census = pd.Series({"A": 4, "B": 4, "C": 92})
    assert chi_square_goodness_of_fit(respondents, census).merged == (("A", "B"),)
    assert chi_square_goodness_of_fit(respondents, census, min_expected=1).merged == ()


def test_mismatched_categories_are_refused():
    with pytest.raises(ValueError):
        chi_square_goodness_of_fit(pd.Series({"A": 1}), pd.Series({"B": 1}))
