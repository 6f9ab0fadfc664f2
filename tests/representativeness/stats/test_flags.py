"""The flag rule row by row, on hand-made rows, so each branch and boundary is pinned down."""

import math

import pandas as pd
import pytest

from representativeness.stats.flags import DEFAULT_RULE, Flag, FlagRule, flag_categories, small_count_warning

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
        ({"ratio": 0.5, "low": 0.3, "high": 0.9, "q": 0.01}, Flag.UNDER_REPRESENTED),
        ({"ratio": 0.5, "low": 0.3, "high": 1.0, "q": 0.01}, Flag.IN_LINE),  # upper bound must be < 1
        ({"ratio": 0.5, "low": 0.3, "high": 0.9, "q": 0.05}, Flag.IN_LINE),  # q must be < 0.05
        ({"ratio": 0.5, "low": 0.3, "high": 0.9, "q": NAN}, Flag.IN_LINE),  # no test, no flag
        ({"ratio": 0.8, "low": 0.7, "high": 0.95, "q": 0.001}, Flag.IN_LINE),  # on 0.8 is not below it
        ({"ratio": 0.8 - 1e-12, "low": 0.7, "high": 0.95, "q": 0.001}, Flag.IN_LINE),  # float noise
        ({"ratio": 0.7999, "low": 0.7, "high": 0.95, "q": 0.001}, Flag.UNDER_REPRESENTED),
        ({"ratio": 1.5, "low": 1.1, "high": 2.0, "q": 0.01}, Flag.OVER_REPRESENTED),
        ({"ratio": 1.25, "low": 1.1, "high": 1.4, "q": 0.001}, Flag.IN_LINE),
        ({"ratio": 1.5, "low": 1.0, "high": 2.0, "q": 0.01}, Flag.IN_LINE),  # lower bound must be > 1
        ({"ratio": 1.0, "low": 0.5, "high": 1.5, "q": 0.9}, Flag.TOO_FEW_RESPONSES),
        ({"ratio": 1.0, "low": 0.8, "high": 1.5, "q": 0.9}, Flag.IN_LINE),  # reaches 0.8 but not below
        ({"ratio": 0.0, "low": 0.0, "high": 7.0, "q": 0.9}, Flag.TOO_FEW_RESPONSES),
        ({"ratio": 1.0, "low": 0.85, "high": 1.2, "q": 0.9}, Flag.IN_LINE),
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
    assert _flag(ratio=0.6, low=0.4, high=0.9, q=0.08) == "in_line"
    assert _flag(ratio=0.4, low=0.3, high=0.6, q=0.08, rule=loose) == "under_represented"
    assert _flag(ratio=1.5, low=1.1, high=2.0, q=0.01, rule=loose) == "in_line"


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
