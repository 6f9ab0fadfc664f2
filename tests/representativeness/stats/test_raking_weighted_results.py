"""Weighted answer shares for a question, with Wilson intervals on the effective sample size."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from representativeness.stats import rake, rake_cells, weighted_results, wilson_interval


def test_wilson_interval_matches_statsmodels() -> None:
    low, high = wilson_interval([0.3, 0.0, 1.0], [50, 20, 7.5])
    for i, (p, n) in enumerate([(0.3, 50), (0.0, 20), (1.0, 7.5)]):
        expected = proportion_confint(p * n, n, alpha=0.05, method="wilson")
        assert (low[i], high[i]) == pytest.approx(expected, abs=1e-12)
    low, high = wilson_interval([0.5], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def example_cells() -> tuple[pd.DataFrame, pd.Series]:
    # Group A (weight 2): 10 Yes. Group B (weight 0.5): 5 Yes, 25 No. 3 in B skipped the question.
    cells = pd.DataFrame(
        {
            "group": ["A", "B", "B", "B"],
            "answer": ["Yes", "Yes", "No", np.nan],
            "count": [10, 5, 25, 3],
        }
    )
    return cells, pd.Series([2.0, 0.5, 0.5, 0.5])


def test_shares_effective_n_and_leader_by_hand() -> None:
    cells, weights = example_cells()
    result = weighted_results(cells, "answer", weights, options=["Yes", "No", "Not sure"])
    table = result.table
    assert result.n == 40
    assert result.no_answer == 3
    # Unweighted: Yes 15/40, No 25/40. Weighted: Yes 20 + 2.5 = 22.5, No 12.5, of 35.
    assert table.loc["Yes", "unweighted_share"] == pytest.approx(15 / 40)
    assert table.loc["No", "unweighted_share"] == pytest.approx(25 / 40)
    assert table.loc["Yes", "weighted_share"] == pytest.approx(22.5 / 35)
    assert table.loc["No", "weighted_respondents"] == pytest.approx(12.5)
    assert table.loc["Not sure", "respondents"] == 0
    assert table.loc["Not sure", "weighted_share"] == 0
    # Kish: (sum w)^2 / sum w^2 = 35^2 / (10 * 4 + 30 * 0.25).
    assert result.effective_n == pytest.approx(35**2 / 47.5)
    assert result.design_effect == pytest.approx(40 / (35**2 / 47.5))
    expected = proportion_confint(22.5 / 35 * result.effective_n, result.effective_n, method="wilson")
    assert (table.loc["Yes", "weighted_low"], table.loc["Yes", "weighted_high"]) == pytest.approx(expected)
    expected = proportion_confint(15, 40, method="wilson")
    assert (table.loc["Yes", "unweighted_low"], table.loc["Yes", "unweighted_high"]) == pytest.approx(expected)
    assert result.leader_unweighted == ("No",)
    assert result.leader_weighted == ("Yes",)
    # Yes 64% (weighted) against No 62.5% (unweighted) on 40 responses: neither lead is beyond the
    # intervals, so weighting is not said to change the leading answer.
    assert not result.leader_changes
    assert result.notes == [
        "Weighted, Yes is ahead of No, but within the uncertainty of the figures: neither clearly leads."
    ]


def test_equal_weights_change_nothing() -> None:
    cells, _ = example_cells()
    result = weighted_results(cells, "answer", pd.Series(1.0, index=cells.index))
    table = result.table
    np.testing.assert_allclose(table["weighted_share"], table["unweighted_share"])
    np.testing.assert_allclose(table["weighted_low"], table["unweighted_low"])
    assert result.effective_n == pytest.approx(40)
    assert not result.leader_changes
    assert list(table.index) == ["Yes", "No"]


def test_ties_are_reported_as_joint_leaders() -> None:
    cells = pd.DataFrame({"answer": ["a", "b", "c"], "count": [5, 5, 1]})
    result = weighted_results(cells, "answer", pd.Series(1.0, index=cells.index))
    assert result.leader_unweighted == ("a", "b")
    assert not result.leader_changes


def test_weights_looked_up_from_a_cell_rake() -> None:
    rng = np.random.default_rng(7)
    n = 400
    rows = pd.DataFrame(
        {
            "age": rng.choice(["young", "old"], n, p=[0.2, 0.8]),
            "sex": rng.choice(["F", "M"], n, p=[0.6, 0.4]),
        }
    )
    # The young favour "Yes", the old "No": weighting up the young moves the result.
    rows["answer"] = np.where(rng.random(n) < np.where(rows["age"] == "young", 0.8, 0.3), "Yes", "No")
    targets = {"age": {"young": 0.5, "old": 0.5}, "sex": {"F": 0.5, "M": 0.5}}
    # As the service would: GROUP BY the characteristics to rake, and with the answer for results.
    raking_cells = rows.groupby(["age", "sex"]).size().rename("count").reset_index()
    raked = rake_cells(raking_cells, targets)
    answer_cells = rows.groupby(["age", "sex", "answer"]).size().rename("count").reset_index()
    result = weighted_results(answer_cells, "answer", raked)
    # The same from row weights.
    w = rake(rows[["age", "sex"]], targets).weights
    yes = w[rows["answer"] == "Yes"].sum() / w.sum()
    assert result.table.loc["Yes", "weighted_share"] == pytest.approx(yes)
    assert result.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert result.leader_unweighted == ("No",)
    assert result.leader_weighted == ("Yes",)


def test_answers_outside_the_options_are_an_error() -> None:
    cells, weights = example_cells()
    with pytest.raises(ValueError, match="'No'"):
        weighted_results(cells, "answer", weights, options=["Yes"])
