"""Outreach targets: x = (t * p_c * n - n_c) / (1 - t * p_c), rounded up."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from representativeness.stats.outreach import outreach_needed, outreach_series


def test_formula_rounded_up():
    # (1 * 0.1 * 200 - 12) / 0.9 = 8.89 -> 9; 9 more makes 21/209 = 0.1005, 8 more only 20/208.
    assert outreach_needed(12, 200, 0.1) == 9
    assert 21 / 209 >= 0.1 > 20 / 208
    # Target 0.8: (0.08 * 200 - 12) / 0.92 = 4.35 -> 5.
    assert outreach_needed(12, 200, 0.1, target=0.8) == 5


def test_a_whole_number_is_not_rounded_up_past_itself():
    # (0.1 * 100 - 1) / 0.9 = 10 exactly: 11/110 = 0.1.
    assert outreach_needed(1, 100, 0.1) == 10


def test_at_or_above_target_needs_none():
    assert outreach_needed(20, 200, 0.1) == 0
    assert outreach_needed(50, 200, 0.1) == 0
    assert outreach_needed(16, 200, 0.1, target=0.8) == 0


def test_unreachable_target():
    # t * p_c = 1.2: a share above 1 is impossible.
    assert outreach_needed(50, 100, 0.6, target=2.0) is None
    # t * p_c = 1 exactly is reachable only by having everyone already.
    assert outreach_needed(99, 100, 0.5, target=2.0) is None
    assert outreach_needed(100, 100, 0.5, target=2.0) == 0


def test_undefined_without_answers_or_a_census_share():
    assert outreach_needed(0, 0, 0.1) is None
    assert outreach_needed(3, 100, 0.0) is None


@pytest.mark.parametrize("args", [(-1, 10, 0.1, 1.0), (11, 10, 0.1, 1.0), (1, 10, 1.5, 1.0), (1, 10, 0.1, 0.0)])
def test_bad_input(args):
    with pytest.raises(ValueError):
        outreach_needed(*args)


def test_series_version_uses_nullable_integers():
    result = outreach_series(
        pd.Series({"A": 12, "B": 188, "C": 0}), pd.Series({"A": 0.1, "B": 0.9, "C": 0.0}), answered=200
    )
    assert str(result.dtype) == "Int64"
    assert result["A"] == 9 and result["B"] == 0 and pd.isna(result["C"])


@settings(database=None, deadline=None, max_examples=300)
@given(
    answered=st.integers(min_value=1, max_value=5000),
    fraction=st.floats(min_value=0, max_value=1),
    census_share=st.floats(min_value=0.001, max_value=0.999),
    target=st.floats(min_value=0.1, max_value=2.0),
)
def test_the_answer_is_the_fewest_that_reach_the_target(answered, fraction, census_share, target):
    respondents = round(fraction * answered)
    extra = outreach_needed(respondents, answered, census_share, target)
    goal = target * census_share
    if goal >= 1:
        # A share above 1 is impossible; a share of 1 only if everyone is already in the group.
        assert extra == (0 if respondents == answered and goal <= 1 + 1e-9 else None)
        return
    assert extra is not None
    slack = 1e-9
    assert (respondents + extra) / (answered + extra) >= goal * (1 - slack)
    if extra > 0:
        assert (respondents + extra - 1) / (answered + extra - 1) < goal * (1 + slack)


def test_reaching_several_groups_together_needs_more_than_their_targets_added_up():
    from representativeness.stats.outreach import joint_outreach_needed, outreach_needed

    # 200 answered; group A has 10 (census 10%), group B 20 (census 20%).
    separate = outreach_needed(10, 200, 0.1) + outreach_needed(20, 200, 0.2)
    assert separate == 12 + 25  # (20 - 10) / 0.9 = 11.1 and (40 - 20) / 0.8 = 25
    # Together: E = (0.3 * 200 - 30) / 0.7 = 42.9: 24.3 of 242.9 from A and 48.6 from B.
    assert joint_outreach_needed([10, 20], 200, [0.1, 0.2]) == 43
    assert joint_outreach_needed([10, 20], 200, [0.6, 0.5]) is None  # the goals add up to more than everyone
