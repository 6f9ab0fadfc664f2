"""Intervals on raked shares by linearisation, against R's survey package on the same data and margins.

golden/linearised.R calibrates golden/linearised_sample.csv by raking to golden/linearised_targets.csv
and writes svymean's share and standard error and svyciprop's logit interval for each answer
(golden/linearised_r_output.csv, committed with the printed run in linearised_r_output.txt).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from representativeness.stats import rake, rake_cells
from representativeness.stats.linearisation import linearised_shares
from representativeness.stats.weighted_results import weighted_results

GOLDEN = Path(__file__).parent / "golden"
OPTIONS = ["Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


@pytest.fixture(scope="module")
def raked(sample, targets):
    return rake(sample[["sex", "age", "ethnic_group"]], targets, tol=1e-13)


@pytest.fixture(scope="module")
def r_output() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "linearised_r_output.csv").set_index("answer")


def test_raked_shares_their_standard_errors_and_intervals_equal_r_survey(sample, raked, r_output):
    cells = sample.groupby(["sex", "age", "ethnic_group", "answer"], dropna=False).size().rename("n").reset_index()
    results = weighted_results(cells, "answer", raked, count="n", options=OPTIONS)
    table = results.table
    assert results.interval == "linearised"
    for answer in OPTIONS:
        expected = r_output.loc[answer]
        assert table.at[answer, "weighted_share"] == pytest.approx(expected["share"], abs=1e-9)
        assert table.at[answer, "weighted_se"] == pytest.approx(expected["se"], abs=1e-6)
        assert table.at[answer, "weighted_low"] == pytest.approx(expected["low"], abs=1e-6)
        assert table.at[answer, "weighted_high"] == pytest.approx(expected["high"], abs=1e-6)
    # One variance per answer: the design effects differ from answer to answer, which Kish's single
    # effective sample size cannot show.
    p = table["weighted_share"]
    per_answer_deff = table["weighted_se"] ** 2 / (p * (1 - p) / results.n)
    assert per_answer_deff.max() / per_answer_deff.min() > 1.05


def test_linearised_variance_by_hand_for_one_margin():
    """Post-stratification on one margin: the variance is the sum over strata of W_h^2 s_h^2 / n_h (with
    the with-replacement factor n/(n-1) and each stratum's variance over n_h), computed here directly."""
    # Two cells (strata): 4 respondents, 1 chose; 6 respondents, 4 chose; census shares 50/50.
    design = np.array([[1.0, 0.0], [0.0, 1.0]])
    respondents = np.array([4.0, 6.0])
    chose = np.array([[1.0, 3.0], [4.0, 2.0]])
    weights = np.array([0.5 / 0.4, 0.5 / 0.6])
    result = linearised_shares(design, respondents, chose, weights)
    assert result.share[0] == pytest.approx(0.5 * 0.25 + 0.5 * 4 / 6)
    # z_i = w_h (y_i - ybar_h) / n; variance n/(n-1) sum z_i^2 (z sums to 0 within each stratum).
    n = 10
    squares = (1.25**2) * (1 * 0.75**2 + 3 * 0.25**2) + (0.5 / 0.6) ** 2 * (4 * (1 / 3) ** 2 + 2 * (2 / 3) ** 2)
    assert result.standard_error[0] == pytest.approx(np.sqrt(n / (n - 1) * squares / n**2), rel=1e-12)
    assert result.degrees_of_freedom == 9


def _sex_answer_cells(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    return pd.DataFrame([{"sex": sex, "answer": answer, "n": n} for (sex, answer), n in counts.items()])


def _weighted(cells: pd.DataFrame):
    raked = rake_cells(cells, {"sex": {"Female": 10, "Male": 90}}, count="n")
    return weighted_results(cells, "answer", raked, count="n", options=["A", "B"])


def test_weighting_changes_the_leading_answer_only_when_both_leads_are_clear():
    clear = _weighted(
        _sex_answer_cells({("Female", "A"): 275, ("Female", "B"): 25, ("Male", "A"): 25, ("Male", "B"): 175})
    )
    assert (clear.leader_unweighted, clear.leader_weighted, clear.leader_changes) == (("A",), ("B",), True)
    assert clear.notes == ["Weighting changes the leading answer from A to B."]

    # 52.5% to 47.5% unweighted and 46.5% to 53.5% weighted: the leads are within the intervals.
    close = _weighted(
        _sex_answer_cells({("Female", "A"): 60, ("Female", "B"): 40, ("Male", "A"): 45, ("Male", "B"): 55})
    )
    assert (close.leader_unweighted, close.leader_weighted, close.leader_changes) == (("A",), ("B",), False)
    assert close.notes == [
        "Weighted, B is ahead of A, but within the uncertainty of the figures: neither clearly leads."
    ]

    tie = _weighted(_sex_answer_cells({("Female", "A"): 10, ("Male", "B"): 10}))
    assert not tie.leader_changes
