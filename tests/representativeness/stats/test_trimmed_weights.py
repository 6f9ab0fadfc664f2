"""Raked weights trimmed to a floor and a cap as R's survey::trimWeights does, against R on the same data:
golden/trim_weights.R, its printed run (trim_weights_r_output.txt), the weights it wrote (trim_weights.csv)
and svymean / svyciprop on the trimmed design (trim_weights_shares.csv)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from representativeness.stats import rake
from representativeness.stats.raking.trimming import trim_weights
from representativeness.stats.weighted_results import weighted_results

GOLDEN = Path(__file__).parent / "golden"
COLUMNS = ["sex", "age", "ethnic_group"]
OPTIONS = ["Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]


@pytest.fixture(scope="module")
def r_weights() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "trim_weights.csv").set_index("id")


def test_one_pass_and_strict_trimming_equal_r_trimweights(sample, targets, r_weights):
    raked = rake(sample[COLUMNS], targets, tol=1e-13).weights.to_numpy()
    np.testing.assert_allclose(raked, r_weights["raked"].to_numpy(), rtol=1e-9)
    counts = np.ones(len(raked))
    once = trim_weights(raked, counts, lower=0.5, upper=1.3, strict=False)
    np.testing.assert_allclose(once, r_weights["once"].to_numpy(), rtol=1e-9)
    # One pass spreads the excess over the others and pushes some of them past the cap again (R: 1.3045).
    assert once.max() == pytest.approx(1.3044900198169649, rel=1e-9)
    strict = trim_weights(raked, counts, lower=0.5, upper=1.3)
    np.testing.assert_allclose(strict, r_weights["strict"].to_numpy(), rtol=1e-9)
    assert strict.max() <= 1.3 + 1e-12 and strict.min() >= 0.5
    # The total (and so the mean of 1) is kept.
    assert strict.sum() == pytest.approx(len(raked), rel=1e-12)
    assert "trimmed strictly, range 0.50066640196796797 1.3" in (GOLDEN / "trim_weights_r_output.txt").read_text()


def test_trimming_on_cells_counts_each_cells_respondents():
    # Two respondents at 3 and eight at 0.5 (mean 1): a cap of 2 cuts 2 and spreads 0.25 over each of the eight.
    weights = trim_weights(np.array([3.0, 0.5]), np.array([2.0, 8.0]), upper=2.0)
    np.testing.assert_allclose(weights, [2.0, 0.75])


def test_raking_then_trimming_meets_the_bounds_not_the_margins_and_says_so(sample, targets, r_weights):
    trimmed = rake(sample[COLUMNS], targets, tol=1e-13, floor=0.5, cap=1.3, trim=True)
    np.testing.assert_allclose(trimmed.weights.to_numpy(), r_weights["strict"].to_numpy(), rtol=1e-9)
    assert trimmed.trimmed and trimmed.converged  # the raking converged; the trimming then moved the margins
    assert trimmed.max_margin_error > 0.01
    assert any("trimmed" in note and "R's trimWeights" in note for note in trimmed.notes)


def test_intervals_on_trimmed_weights_equal_r_svymean_on_the_trimmed_design(sample, targets):
    """R keeps the calibration when it trims, so the variance is still residualised on the raking margins."""
    trimmed = rake(sample[COLUMNS], targets, tol=1e-13, floor=0.5, cap=1.3, trim=True)
    cells = sample.groupby([*COLUMNS, "answer"], dropna=False).size().rename("n").reset_index()
    table = weighted_results(cells, "answer", trimmed, count="n", options=OPTIONS).table
    expected = pd.read_csv(GOLDEN / "trim_weights_shares.csv").set_index("answer")
    for answer in OPTIONS:
        assert table.at[answer, "weighted_share"] == pytest.approx(expected.at[answer, "share"], abs=1e-9)
        assert table.at[answer, "weighted_se"] == pytest.approx(expected.at[answer, "se"], abs=1e-6)
        assert table.at[answer, "weighted_low"] == pytest.approx(expected.at[answer, "low"], abs=1e-6)
        assert table.at[answer, "weighted_high"] == pytest.approx(expected.at[answer, "high"], abs=1e-6)
