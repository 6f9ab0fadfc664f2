"""The data the R golden files of golden/linearised.R, trim_weights.R and bounded_rake.R were made from:
respondents (golden/linearised_sample.csv) and the raking margins (golden/linearised_targets.csv)."""

from pathlib import Path

import pandas as pd
import pytest

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return pd.read_csv(GOLDEN / "linearised_sample.csv").set_index("id")


def golden_margins(file_name: str) -> dict[str, dict[str, float]]:
    """A golden file of raking margins (characteristic, category, population) as rake() takes them."""
    rows = pd.read_csv(GOLDEN / file_name)
    return {
        str(name): dict(zip(group["category"], group["population"], strict=True))
        for name, group in rows.groupby("characteristic", sort=False)
    }


@pytest.fixture(scope="module")
def targets() -> dict[str, dict[str, float]]:
    return golden_margins("linearised_targets.csv")
