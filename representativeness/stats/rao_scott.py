"""Rao-Scott corrected chi-square test of association for weighted data.

Pearson's chi-square assumes every respondent counts once. Weighted (raked) responses are less precise
than their number suggests, so the weighted table's X^2 is divided by the mean of the "generalised
design effects" (the eigenvalues of Delta below) and compared with an F distribution whose degrees of
freedom are Satterthwaite's (the second-order Rao-Scott correction, as R's `survey::svychisq` does
by default with `statistic = "F"`).

The respondents are treated as a sample with weights and no clusters or strata (R:
`svydesign(ids = ~1, weights = ~w)`); the variance of the cell proportions is the linearisation
(sandwich) estimate. Raking's own gain in precision is not credited, which errs on the cautious side.

Input is aggregated: one row per group of respondents who share a row, a column and a weight, with how
many there are (`rao_scott_test`), or just each cell's respondents, weights and squared weights summed
(`rao_scott_table`, which the first uses). The variance is a sum over respondents whose terms depend only
on the cell and the weight, so those sums are enough: nothing needs one row per respondent.

Pure functions on numpy arrays: no Django here.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special, stats


@dataclass(frozen=True)
class RaoScottResult:
    """`pearson`: X^2 on the weighted table scaled to the number of respondents; `statistic`: the F
    statistic X^2 / trace(Delta); `ndf`, `ddf`: its degrees of freedom; `p_value` from the F test;
    `p_value_chisq`: the first-order correction (X^2 / mean eigenvalue on chi-square, svychisq's
    `statistic = "Chisq"`); `mean_design_effect`: the mean eigenvalue of Delta."""

    pearson: float
    statistic: float
    ndf: float
    ddf: float
    p_value: float
    p_value_chisq: float
    mean_design_effect: float


_NOTHING = RaoScottResult(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)


@functools.cache  # a few shapes, each asked for hundreds of times by one analysis (read-only)
def _interaction_basis(rows: int, columns: int) -> npt.NDArray[np.float64]:
    """Contrasts for the row-by-column interaction, orthogonal to the main-effects model.

    Cells are ordered with the row index varying fastest. The basis only has to span the interaction
    space: Delta's trace and the trace of its square do not depend on which basis is used.
    """
    row_of = np.tile(np.arange(rows), columns)
    column_of = np.repeat(np.arange(columns), rows)
    main = [np.ones(rows * columns)]
    main += [(row_of == i).astype(float) for i in range(1, rows)]
    main += [(column_of == j).astype(float) for j in range(1, columns)]
    interaction = [((row_of == i) & (column_of == j)).astype(float) for j in range(1, columns) for i in range(1, rows)]
    x1 = np.column_stack(main)
    x12 = np.column_stack(interaction)
    coefficients, *_ = np.linalg.lstsq(x1, x12, rcond=None)
    basis = x12 - x1 @ coefficients
    basis.setflags(write=False)
    return basis


def _f_sf(statistic: float, ndf: float, ddf: float) -> float:
    """`stats.f.sf`, by the function it calls (without its checks: hundreds of tests per analysis) where the
    arguments are ordinary; the same value."""
    if 0 < statistic < math.inf and 0 < ndf < math.inf and 0 < ddf < math.inf:
        return float(special.fdtrc(ndf, ddf, statistic))
    return float(stats.f.sf(statistic, ndf, ddf))


def _chi2_sf(statistic: float, df: float) -> float:
    """`stats.chi2.sf`, as `_f_sf`."""
    if 0 < statistic < math.inf and 0 < df < math.inf:
        return float(special.chdtrc(df, statistic))
    return float(stats.chi2.sf(statistic, df))


def rao_scott_test(
    row: npt.ArrayLike,
    column: npt.ArrayLike,
    weight: npt.ArrayLike,
    count: npt.ArrayLike,
    *,
    shape: tuple[int, int],
) -> RaoScottResult:
    """The Rao-Scott test of association between a row and a column classification.

    `row`, `column`: each group's cell (0-based, below `shape`); `weight`: the weight each of its
    respondents carries; `count`: how many respondents the group holds. Rows and columns nobody is in
    are dropped first (as svychisq, which only sees the levels present). NaN everywhere when fewer
    than two rows or columns, or fewer than two respondents, remain.
    """
    r_idx = np.asarray(row, dtype=np.int64)
    c_idx = np.asarray(column, dtype=np.int64)
    w = np.asarray(weight, dtype=np.float64)
    m = np.asarray(count, dtype=np.float64)
    if not (len(r_idx) == len(c_idx) == len(w) == len(m)):
        raise ValueError("row, column, weight and count must have the same length.")
    if (m < 0).any() or (w < 0).any() or not (np.isfinite(w).all() and np.isfinite(m).all()):
        raise ValueError("Weights and counts must be finite and non-negative.")
    present = m > 0
    r_idx, c_idx, w, m = r_idx[present], c_idx[present], w[present], m[present]
    if ((r_idx < 0) | (r_idx >= shape[0]) | (c_idx < 0) | (c_idx >= shape[1])).any():
        raise ValueError("A row or column index is outside the table's shape.")
    cell = r_idx * shape[1] + c_idx
    size = shape[0] * shape[1]

    def table(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.bincount(cell, weights=values, minlength=size).reshape(shape)

    return rao_scott_table(table(m), table(m * w), table(m * w * w))


def rao_scott_table(respondents: npt.ArrayLike, weights: npt.ArrayLike, squares: npt.ArrayLike) -> RaoScottResult:
    """The Rao-Scott test from a table's cells: each cell's respondents, the sum of their weights and the
    sum of their squared weights (rows by columns). Everything the test needs is a sum over respondents,
    and each respondent's terms depend only on their cell and weight, so these three tables are enough:
    however the respondents are counted (one by one, or in cells of equal weight), the test is the same.
    Rows and columns nobody is in are dropped first, as in `rao_scott_test`."""
    counts = np.asarray(respondents, dtype=np.float64)
    weight_sums = np.asarray(weights, dtype=np.float64)
    square_sums = np.asarray(squares, dtype=np.float64)
    used_rows, used_columns = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
    counts, weight_sums, square_sums = (t[used_rows][:, used_columns] for t in (counts, weight_sums, square_sums))
    rows, columns = counts.shape
    n = float(counts.sum())
    total_weight = float(weight_sums.sum())
    if rows < 2 or columns < 2 or n < 2 or total_weight <= 0:
        return _NOTHING

    cells = rows * columns
    # Cells with the row index varying fastest.
    proportion = weight_sums.flatten(order="F") / total_weight

    # Linearisation variance of the cell proportions: each respondent's influence is w (z - p) / W, with z
    # the indicator of their cell; summed over a cell's respondents, their squared weights times
    # (e_c - p)(e_c - p)' / W^2. The n/(n-1) factor as for one stratum.
    deviation = np.eye(cells) - proportion[None, :]
    variance = (deviation * square_sums.flatten(order="F")[:, None]).T @ deviation
    variance *= n / (n - 1) / (total_weight * total_weight)

    basis = _interaction_basis(rows, columns)
    inverse_p = np.where(proportion > 0, 1 / np.where(proportion > 0, proportion, 1), 0.0)
    scaled = basis * inverse_p[:, None]
    denominator = basis.T @ scaled / n
    numerator = scaled.T @ variance @ scaled
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    trace_square = float(np.trace(delta @ delta))

    table = (proportion * n).reshape(columns, rows).T
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.where(expected > 0, (table - expected) ** 2 / expected, 0.0).sum())
    if trace <= 0:
        return _NOTHING
    ndf = trace * trace / trace_square
    ddf = ndf * (n - 1)
    statistic = pearson / trace
    interaction_df = delta.shape[0]
    return RaoScottResult(
        pearson=pearson,
        statistic=statistic,
        ndf=ndf,
        ddf=ddf,
        p_value=_f_sf(statistic, ndf, ddf),
        p_value_chisq=_chi2_sf(pearson / (trace / interaction_df), interaction_df),
        mean_design_effect=trace / interaction_df,
    )
