"""Raking with a floor and a cap on the weights, against R's calibrate(..., calfun = "raking", bounds = ),
and the linear programme's verdict on bounds against R's: golden/bounded_rake.R, its output
(bounded_rake_r_output.txt) and the weights it wrote (bounded_rake_weights.csv)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from representativeness.stats import rake
from representativeness.stats.bounds import bounds_feasible

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def r_weights() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "bounded_rake_weights.csv").set_index("id")


def test_unbounded_and_bounded_raking_equal_r(sample, targets, r_weights):
    columns = ["sex", "age", "ethnic_group"]
    free = rake(sample[columns], targets, tol=1e-12)
    np.testing.assert_allclose(free.weights.to_numpy(), r_weights["g_free"].to_numpy(), rtol=1e-8)
    bounded = rake(sample[columns], targets, tol=1e-12, floor=0.6, cap=1.8)
    assert bounded.converged
    assert bounded.min_weight == pytest.approx(0.6) and bounded.max_weight == pytest.approx(1.8)
    np.testing.assert_allclose(bounded.weights.to_numpy(), r_weights["g_bounded"].to_numpy(), rtol=1e-6)


def test_bounds_r_cannot_meet_are_infeasible_before_raking(sample, targets):
    free = rake(sample[["sex", "age", "ethnic_group"]], targets, tol=1e-12)
    assert bounds_feasible(free, lower=0.6, upper=1.8)
    # R: "Calibration failed" for bounds 0.7 to 1.6 (bounded_rake_r_output.txt).
    assert not bounds_feasible(free, lower=0.7, upper=1.6)
    assert "bounds 0.7 to 1.6: Calibration failed" in (GOLDEN / "bounded_rake_r_output.txt").read_text()
