"""Property tests: raking meets its targets, agrees with a naive row-by-row rake, and respects the cap."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from representativeness.stats import rake, rake_cells

# Deterministic and database-free so the suite is reproducible and quick.
PROPERTY_SETTINGS = settings(max_examples=40, derandomize=True, database=None, deadline=None)
# Capped rakes that cannot converge run to max_iter (twice); fewer, shorter examples keep them quick.
CAP_SETTINGS = settings(max_examples=25, derandomize=True, database=None, deadline=None)
TOL = 1e-11


@dataclass
class Problem:
    sample: pd.DataFrame
    targets: dict[str, dict[str, float]]
    base: np.ndarray | None


@st.composite
def problems(draw: st.DrawFn, with_base: bool | None = None) -> Problem:
    """A small sample over 2-3 characteristics, every combination present, so any targets are reachable."""
    sizes = draw(st.lists(st.integers(2, 4), min_size=2, max_size=3))
    columns = [f"c{i}" for i in range(len(sizes))]
    labels = [[f"{column}_{j}" for j in range(size)] for column, size in zip(columns, sizes, strict=True)]
    grid = pd.MultiIndex.from_product(labels, names=columns).to_frame(index=False)
    extra = draw(st.lists(st.tuples(*[st.integers(0, size - 1) for size in sizes]), max_size=60))
    rows = pd.DataFrame([[labels[i][code] for i, code in enumerate(row)] for row in extra], columns=columns)
    parts = [grid, rows]
    if draw(st.booleans()):
        # Missing answers on the first characteristic, for every combination of the others: that
        # keeps every target reachable (a lone non-respondent could otherwise be forced to fill a
        # small category by itself, leaving no interior solution).
        others = grid.drop(columns=columns[0]).drop_duplicates()
        parts.append(others.assign(**{columns[0]: np.nan})[columns])
    sample = pd.concat(parts, ignore_index=True).astype(object)
    targets = {
        column: {label: draw(st.floats(0.2, 10.0)) for label in column_labels}
        for column, column_labels in zip(columns, labels, strict=True)
    }
    use_base = draw(st.booleans()) if with_base is None else with_base
    base = np.asarray(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=len(sample), max_size=len(sample))))
    return Problem(sample=sample, targets=targets, base=base if use_base else None)


def target_shares(problem: Problem, column: str) -> pd.Series:
    """Target share of each label, and of "missing" (its observed base-weighted share)."""
    base = np.ones(len(problem.sample)) if problem.base is None else problem.base
    values = problem.sample[column]
    missing_share = base[values.isna().to_numpy()].sum() / base.sum()
    given = pd.Series(problem.targets[column])
    shares = given / given.sum() * (1 - missing_share)
    return pd.concat([shares, pd.Series({"<missing>": missing_share})])


def weighted_shares(sample: pd.DataFrame, column: str, weights: np.ndarray) -> pd.Series:
    labels = sample[column].fillna("<missing>")
    return pd.Series(weights).groupby(labels.to_numpy()).sum() / weights.sum()


def naive_rake(problem: Problem, tol: float = 1e-13, max_iter: int = 20_000) -> np.ndarray:
    """Textbook raking on rows, one characteristic at a time, with a groupby per step."""
    sample = problem.sample.fillna("<missing>")
    w = np.ones(len(sample)) if problem.base is None else problem.base.astype(float).copy()
    wanted = {column: target_shares(problem, column) * w.sum() for column in problem.targets}
    for _ in range(max_iter):
        for column, target in wanted.items():
            current = pd.Series(w).groupby(sample[column].to_numpy()).sum()
            factor = (target.reindex(current.index) / current).fillna(1.0)
            w = w * sample[column].map(factor).to_numpy(dtype=float)
        error = max(
            float(
                (
                    pd.Series(w).groupby(sample[c].to_numpy()).sum()
                    / t.reindex_like(pd.Series(w).groupby(sample[c].to_numpy()).sum())
                    - 1
                )
                .abs()
                .max()
            )
            for c, t in wanted.items()
        )
        if error < tol:
            break
    return w / w.mean()


@PROPERTY_SETTINGS
@given(problems())
def test_weighted_margins_match_targets(problem: Problem) -> None:
    result = rake(problem.sample, problem.targets, weights=problem.base, tol=TOL, max_iter=5_000)
    assert result.converged
    assert result.max_margin_error <= TOL
    w = result.weights.to_numpy()
    for column in problem.targets:
        expected = target_shares(problem, column)
        got = weighted_shares(problem.sample, column, w).reindex(expected.index, fill_value=0.0)
        positive = expected > 0
        assert np.all(np.abs(got[positive] / expected[positive] - 1) <= 1e-9)


@PROPERTY_SETTINGS
@given(problems())
def test_weights_positive_with_mean_one(problem: Problem) -> None:
    result = rake(problem.sample, problem.targets, weights=problem.base, tol=TOL, max_iter=5_000)
    w = result.weights.to_numpy()
    assert np.all(w > 0)
    assert abs(w.mean() - 1) < 1e-12
    assert result.weights.index.equals(problem.sample.index)
    assert result.design_effect >= 1 - 1e-12
    assert abs(result.effective_sample_size * result.design_effect - len(w)) < 1e-6


@PROPERTY_SETTINGS
@given(problems())
def test_cell_raking_agrees_with_naive_row_raking(problem: Problem) -> None:
    result = rake(problem.sample, problem.targets, weights=problem.base, tol=TOL, max_iter=5_000)
    np.testing.assert_allclose(result.weights.to_numpy(), naive_rake(problem), rtol=1e-8, atol=0)


@PROPERTY_SETTINGS
@given(problems(with_base=False))
def test_rake_cells_agrees_with_rake_on_rows(problem: Problem) -> None:
    columns = list(problem.targets)
    cells = problem.sample.groupby(columns, dropna=False).size().rename("count").reset_index()
    by_cell = rake_cells(cells, problem.targets, tol=TOL, max_iter=5_000)
    by_row = rake(problem.sample, problem.targets, tol=TOL, max_iter=5_000)
    np.testing.assert_allclose(by_cell.weights_for(problem.sample), by_row.weights, rtol=1e-10)
    assert abs(by_cell.design_effect - by_row.design_effect) < 1e-9


@CAP_SETTINGS
@given(problems(), st.floats(1.0, 6.0))
def test_cap_is_never_exceeded(problem: Problem, cap: float) -> None:
    result = rake(problem.sample, problem.targets, weights=problem.base, cap=cap, tol=TOL, max_iter=200)
    w = result.weights.to_numpy()
    assert w.max() <= cap * (1 + 1e-12)
    assert abs(w.mean() - 1) < 1e-9
    assert result.capped == int((w >= cap * (1 - 1e-9)).sum())
    if result.converged:
        assert result.max_margin_error <= TOL


@CAP_SETTINGS
@given(problems(with_base=False), st.floats(1.5, 6.0))
def test_capped_weights_do_not_depend_on_margin_order(problem: Problem, cap: float) -> None:
    forward = rake(problem.sample, problem.targets, cap=cap, tol=TOL, max_iter=500)
    backward = rake(problem.sample, dict(reversed(list(problem.targets.items()))), cap=cap, tol=TOL, max_iter=500)
    if forward.converged and backward.converged:
        np.testing.assert_allclose(forward.weights, backward.weights, rtol=1e-7)
