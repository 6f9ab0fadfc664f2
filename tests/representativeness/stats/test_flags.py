"""The flag rule row by row, on hand-made rows, so each branch and boundary is pinned down."""

import math
from statistics import NormalDist

import pandas as pd
import pytest

from representativeness.stats.comparison import compare_report
from representativeness.stats.flags import (
    DEFAULT_RULE,
    Flag,
    FlagRule,
    flag_categories,
    responses_to_settle,
    small_count_warning,
)

NAN = math.nan


def _flag(share=0.1, census_share=0.1, ratio=1.0, low=0.9, high=1.1, q=0.5, rule=DEFAULT_RULE) -> str:
    row = pd.DataFrame(
        {
            "share": [share],
            "census_share": [census_share],
            "ratio": [ratio],
            "ratio_low": [low],
            "ratio_high": [high],
            "q_value": [q],
        }
    )
    return flag_categories(row, rule).iloc[0]


def test_defaults_are_the_domain_rule():
    assert (DEFAULT_RULE.under_ratio, DEFAULT_RULE.over_ratio, DEFAULT_RULE.q_threshold) == (0.8, 1.25, 0.05)
    assert (DEFAULT_RULE.small_count, DEFAULT_RULE.confidence) == (30, 0.95)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # Under-represented: the whole interval below the band, and significant after adjustment.
        ({"ratio": 0.5, "low": 0.3, "high": 0.79, "q": 0.01}, Flag.UNDER_REPRESENTED),
        ({"ratio": 0.5, "low": 0.3, "high": 0.8, "q": 0.01}, Flag.TOO_FEW_RESPONSES),  # ends on the edge
        ({"ratio": 0.5, "low": 0.3, "high": 0.79, "q": 0.05}, Flag.TOO_FEW_RESPONSES),  # q must be < 0.05
        ({"ratio": 0.5, "low": 0.3, "high": 0.79, "q": NAN}, Flag.TOO_FEW_RESPONSES),  # no test, no flag
        # Over-represented, mirrored.
        ({"ratio": 1.6, "low": 1.3, "high": 2.0, "q": 0.01}, Flag.OVER_REPRESENTED),
        ({"ratio": 1.6, "low": 1.25, "high": 2.0, "q": 0.01}, Flag.TOO_FEW_RESPONSES),
        ({"ratio": 1.6, "low": 1.3, "high": 2.0, "q": 0.2}, Flag.TOO_FEW_RESPONSES),
        # In line only when the whole interval is inside the band (its edges included).
        ({"ratio": 1.0, "low": 0.85, "high": 1.2, "q": 0.9}, Flag.IN_LINE),
        ({"ratio": 1.0, "low": 0.8, "high": 1.25, "q": 0.9}, Flag.IN_LINE),
        ({"ratio": 1.0, "low": 0.8 - 1e-12, "high": 1.25 + 1e-12, "q": 0.9}, Flag.IN_LINE),  # float noise
        ({"ratio": 1.0, "low": 0.7999, "high": 1.2, "q": 0.9}, Flag.TOO_FEW_RESPONSES),
        # The cases from issue #11 that used to read "In line": not significant is not in line.
        ({"ratio": 0.78, "low": 0.52, "high": 1.16, "q": 0.4}, Flag.TOO_FEW_RESPONSES),  # Irish
        ({"ratio": 0.33, "low": 0.09, "high": 1.21, "q": 0.3}, Flag.TOO_FEW_RESPONSES),  # Buddhist
        ({"ratio": 0.0, "low": 0.0, "high": 7.0, "q": 0.9}, Flag.TOO_FEW_RESPONSES),
        ({"ratio": 1.0, "low": 0.5, "high": 1.5, "q": 0.9}, Flag.TOO_FEW_RESPONSES),
    ],
)
def test_rule(row, expected):
    assert _flag(**row) == expected.value


def test_nobody_answered():
    assert _flag(share=NAN, ratio=NAN, low=NAN, high=NAN, q=NAN) == "too_few_responses"


def test_no_census_baseline():
    assert _flag(census_share=0.0, ratio=NAN, low=NAN, high=NAN, q=NAN) == "no_census_baseline"
    # Nobody answered wins: with n = 0 there is nothing to say about any category.
    assert _flag(share=NAN, census_share=0.0, ratio=NAN, low=NAN, high=NAN, q=NAN) == "too_few_responses"


def test_thresholds_are_parameters():
    loose = FlagRule(under_ratio=0.5, over_ratio=2.0, q_threshold=0.1)
    assert _flag(ratio=0.4, low=0.3, high=0.6, q=0.08) == "too_few_responses"  # q 0.08 is not below 0.05
    assert _flag(ratio=0.4, low=0.3, high=0.6, q=0.01) == "under_represented"
    assert _flag(ratio=0.4, low=0.3, high=0.6, q=0.08, rule=loose) == "too_few_responses"
    assert _flag(ratio=0.4, low=0.3, high=0.45, q=0.08, rule=loose) == "under_represented"
    assert _flag(ratio=1.5, low=1.3, high=1.9, q=0.01) == "over_represented"
    assert _flag(ratio=1.5, low=1.3, high=1.9, q=0.01, rule=loose) == "in_line"


def test_flags_are_plain_strings_for_templates_and_json():
    assert type(_flag()) is str


def test_small_count_warning():
    warning = small_count_warning(pd.Series({"a": 0, "b": 29, "c": 30}))
    assert warning.tolist() == [True, True, False]
    assert small_count_warning(pd.Series({"a": 10}), FlagRule(small_count=10)).tolist() == [False]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"under_ratio": 1.0},
        {"under_ratio": 0.0},
        {"over_ratio": 1.0},
        {"over_ratio": math.inf},
        {"q_threshold": 0.0},
        {"confidence": 1.0},
        {"interval_method": "normal"},
        {"small_count": -1},
        {"outreach_target": 0.0},
    ],
)
def test_nonsense_rules_are_refused(kwargs):
    with pytest.raises(ValueError):
        FlagRule(**kwargs)


def test_rule_is_frozen():
    with pytest.raises(AttributeError):
        DEFAULT_RULE.under_ratio = 0.5  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# "Can't tell yet", on counts, with the responses that would settle it
# ---------------------------------------------------------------------------------------------


def _wilson(count: float, n: float, z: float = NormalDist().inv_cdf(0.975)) -> tuple[float, float]:
    """The Wilson score interval from its formula (independent of statsmodels)."""
    p_hat = count / n
    centre = (p_hat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p_hat * (1 - p_hat) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def _region(count: float, n: float, census_share: float) -> str:
    low, high = (bound / census_share for bound in _wilson(count, n))
    if high < 0.8:
        return "below"
    if low > 1.25:
        return "above"
    if low >= 0.8 and high <= 1.25:
        return "inside"
    return "across"


def _flags(respondents: dict[str, int], census: dict[str, float]) -> pd.DataFrame:
    return compare_report({"x": (pd.Series(respondents), pd.Series(census))})["x"]


def test_a_ward_with_62_responses_at_ratio_one_says_how_many_more_would_settle_it():
    # Issue #11: "a ward with 62 responses and a ratio of 1.00 was 'too few responses'". Its interval,
    # 0.78 to 1.27, reaches both edges of the band: can't tell yet, and more responses would settle it.
    table = _flags({"Ward A": 62, "Elsewhere": 938}, {"Ward A": 6_200, "Elsewhere": 93_800})
    row = table.loc["Ward A"]
    assert row["ratio"] == pytest.approx(1.0)
    assert (row["ratio_low"], row["ratio_high"]) == pytest.approx((0.78, 1.27), abs=0.01)
    assert row["flag"] == "too_few_responses"
    more = int(row["responses_to_settle"])
    # Checked by hand: at 1,000 + more responses in the same mix the interval fits inside 0.8 to 1.25,
    # and at one fewer it does not.
    total = 1_000 + more
    assert _region(0.062 * total, total, 0.062) == "inside"
    assert _region(0.062 * (total - 1), total - 1, 0.062) == "across"
    assert 100 < more < 2_000


def test_one_man_among_nine_respondents_is_not_in_line():
    table = _flags({"Female": 8, "Male": 1}, {"Female": 51.3, "Male": 48.7})
    assert table.loc["Male", "flag"] == "too_few_responses"
    assert table.loc["Female", "flag"] == "too_few_responses"
    assert table.loc["Male", "ratio_high"] > 0.8
    more = int(table.loc["Male", "responses_to_settle"])
    share = 1 / 9
    assert _region(share * (9 + more), 9 + more, 0.487) == "below"
    assert _region(share * (8 + more), 8 + more, 0.487) == "across"


def test_not_disabled_0_of_1_is_not_in_line():
    table = _flags({"Disabled": 1, "Not disabled": 0}, {"Disabled": 19_000, "Not disabled": 81_000})
    row = table.loc["Not disabled"]
    assert row["flag"] == "too_few_responses"
    # With nobody from the group so far, the responses that would settle it as under-represented:
    # the Wilson upper bound at a share of 0 is z^2 / (n + z^2), below 0.8 * 0.81 once n > 4.
    more = int(row["responses_to_settle"])
    assert _region(0, 1 + more, 0.81) == "below"
    assert _region(0, more, 0.81) == "across"


def test_irish_at_078_with_an_interval_from_052_to_116_is_not_in_line():
    table = _flags({"Irish": 25, "Everyone else": 1_855}, {"Irish": 1_700, "Everyone else": 98_300})
    row = table.loc["Irish"]
    assert (row["ratio"], row["ratio_low"], row["ratio_high"]) == pytest.approx((0.78, 0.53, 1.15), abs=0.01)
    assert row["flag"] == "too_few_responses"
    # About 350,000 more would settle it: more than the 100,000 people this census counts (the trial's
    # Trafford read "about 350,000 more responses"), so no realistic number of responses would.
    assert pd.isna(row["responses_to_settle"]) and row["settle_beyond_population"]
    table = _flags({"Irish": 25, "Everyone else": 1_855}, {"Irish": 17_000, "Everyone else": 983_000})
    assert 100_000 < table.loc["Irish", "responses_to_settle"] < 1_000_000
    assert not table.loc["Irish", "settle_beyond_population"]


def test_settled_rows_have_no_figure_and_a_ratio_on_the_edge_never_settles():
    table = _flags({"A": 8, "B": 92}, {"A": 10, "B": 90})
    assert table.loc["A", "ratio"] == pytest.approx(0.8)
    assert table.loc["A", "flag"] == "too_few_responses"
    assert pd.isna(table.loc["A", "responses_to_settle"])  # at 0.8 exactly, no amount of data decides
    big = _flags({"A": 5_000, "B": 45_000}, {"A": 10, "B": 90})
    assert big.loc["A", "flag"] == "in_line"
    assert pd.isna(big.loc["A", "responses_to_settle"])


def test_responses_to_settle_is_zero_when_the_interval_is_settled_already():
    figures = responses_to_settle([5_000, 45_000], 50_000, [0.1, 0.9])
    assert figures.tolist() == [0, 0]
    assert responses_to_settle([1], 0, [0.5]).isna().all()
    assert responses_to_settle([0, 10], 10, [0.0, 1.0]).iloc[0] is pd.NA
