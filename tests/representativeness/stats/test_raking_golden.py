"""Our raking against R's survey::rake / postStratify on a fixed small dataset.

The R output is committed (golden/rake_golden_weights.csv), so R is not needed to run this; see
golden/rake_golden.R for how to regenerate it.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from representativeness.stats import poststratify, rake
from tests.representativeness.stats.conftest import golden_margins

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "rake_golden_sample.csv").set_index("id")


@pytest.fixture(scope="module")
def targets() -> dict[str, dict[str, float]]:
    return golden_margins("rake_golden_targets.csv")


@pytest.fixture(scope="module")
def r_weights() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "rake_golden_weights.csv").set_index("id")


def mean_one(weights: pd.Series) -> pd.Series:
    return weights / weights.mean()


def test_fixture_has_missing_tenure_as_explicit_level(sample: pd.DataFrame) -> None:
    # The R script turns these into an explicit "(no answer)" level; we keep them as NaN.
    assert sample["tenure"].isna().sum() == 33


def test_rake_matches_r_survey(sample, targets, r_weights) -> None:
    result = rake(sample[["age", "sex", "tenure"]], targets)
    assert result.converged
    np.testing.assert_allclose(result.weights.to_numpy(), mean_one(r_weights["rake"]).to_numpy(), rtol=0, atol=1e-8)


def test_rake_with_base_weights_matches_r_survey(sample, targets, r_weights) -> None:
    result = rake(sample[["age", "sex", "tenure"]], targets, weights=sample["base_weight"])
    assert result.converged
    expected = mean_one(r_weights["rake_base_weighted"])
    np.testing.assert_allclose(result.weights.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-8)


def test_rake_on_categoricals_and_shares_matches_r_survey(sample, targets, r_weights) -> None:
    # As the columns come from the database (categoricals), with targets given as shares.
    shares = {k: {label: v / sum(t.values()) for label, v in t.items()} for k, t in targets.items()}
    result = rake(sample[["age", "sex", "tenure"]].astype("category"), shares)
    np.testing.assert_allclose(result.weights.to_numpy(), mean_one(r_weights["rake"]).to_numpy(), rtol=0, atol=1e-8)


def test_poststratify_matches_r_survey(sample, r_weights) -> None:
    joint = pd.read_csv(GOLDEN / "rake_golden_joint_targets.csv")
    result = poststratify(sample[["age", "sex"]], joint, value="population")
    assert result.converged
    assert result.iterations == 1
    expected = mean_one(r_weights["poststratify"])
    np.testing.assert_allclose(result.weights.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-8)
