"""Design-based variance of raked shares by linearisation, computed on cells.

A raked share of answer ``k`` among the respondents who answered a question is
``p_k = sum_i w_i d_i y_ik / sum_i w_i d_i`` (``d_i``: answered, ``y_ik``: chose ``k``). Its
linearised variance for calibrated (raked) weights is that of the weighted residuals

    z_i = w_i e_i / W,   e_i = u_i - x_i' b,   u_i = d_i (y_ik - p_k),   W = sum_i w_i d_i,

where ``x_i`` are respondent ``i``'s indicators of the raking margins' categories and ``b`` the
least-squares coefficients of ``u`` on them (base weights are 1), with the with-replacement variance
``n / (n - 1) * sum (z_i - mean z)^2`` over all ``n`` raked respondents. This is what R's
``survey`` package computes for ``svymean`` on a design calibrated with
``calibrate(..., calfun = "raking")`` (and ``svyciprop`` on it): tests/representativeness/stats/golden
holds the script (linearised.R) and its output. The interval is ``svyciprop``'s "logit" one: the share on the
logit scale, plus or minus a t quantile (degrees of freedom: answered respondents - 1) times the
standard error over ``p (1 - p)``, transformed back.

Every respondent of a cell has the same ``x``, ``w`` and, for each answer, the same ``u``, so the
sums run over cells: the cost depends on the number of cells and answers, not of respondents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LinearisedShares:
    """Per answer option: the raked share, its linearised standard error and its logit interval."""

    share: FloatArray
    standard_error: FloatArray
    low: FloatArray
    high: FloatArray
    degrees_of_freedom: int


def linearised_shares(
    design: FloatArray,
    respondents: FloatArray,
    chose: FloatArray,
    weights: FloatArray,
    *,
    level: float = 0.95,
    calibrated: FloatArray | None = None,
) -> LinearisedShares:
    """Raked shares with linearised variances, on cells.

    ``design``: one row per cell, the indicators of the raking margins' categories (any full-rank or
    rank-deficient coding of the same margins gives the same residuals). ``respondents``: raked
    respondents per cell (those who did not answer the question included). ``chose``: one row per
    cell, one column per answer option, respondents who chose it. ``weights``: each respondent's
    weight in the cell. ``calibrated``: where the weights were trimmed after raking, the raked weights
    before trimming; as R does for a trimmed calibrated design, the residuals are then those of
    ``u`` times trimmed over raked weight, times the raked weight.
    """
    x = np.asarray(design, dtype=np.float64)
    n_c = np.asarray(respondents, dtype=np.float64)
    m = np.asarray(chose, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if m.ndim != 2 or x.ndim != 2 or not (len(x) == len(n_c) == len(m) == len(w)):
        raise ValueError("design, respondents, chose and weights need one row per cell.")
    answered = m.sum(axis=1)
    if np.any(answered > n_c + 1e-9):
        raise ValueError("A cell has more answers than respondents.")
    big_w = float((w * answered).sum())
    k = m.shape[1]
    nan = np.full(k, np.nan)
    n = float(n_c.sum())
    df = int(round(answered.sum())) - 1
    if big_w <= 0 or n < 2 or df < 1:
        share = (w[:, None] * m).sum(axis=0) / big_w if big_w > 0 else nan
        return LinearisedShares(share, nan.copy(), nan.copy(), nan.copy(), max(df, 0))
    share = (w[:, None] * m).sum(axis=0) / big_w

    # u summed per cell, for every answer at once; least squares of u on x with respondents as
    # frequency weights is the least squares of the cell means on x weighted by n_c.
    sums = m - answered[:, None] * share[None, :]
    # Trimmed weights over the raked ones (1 without trimming): R's x / psvar$w, residualised, times psvar$w.
    ratio = np.ones(len(w)) if calibrated is None else w / np.asarray(calibrated, dtype=np.float64)
    # The normal equations are as small as the margins' categories (the indicators of every margin
    # together are rank-deficient; the pseudo-inverse gives the same, unique, fitted values).
    # einsum rather than BLAS matrix products: these are small, and a multi-threaded BLAS on a busy
    # machine spends 100 times longer on them than the single-threaded loops.
    gram = np.einsum("ci,cj->ij", x, x * n_c[:, None])
    coefficients = np.linalg.pinv(gram, rcond=1e-10, hermitian=True) @ np.einsum("ci,ck->ik", x, sums * ratio[:, None])
    fitted = np.einsum("ci,ik->ck", x, coefficients) / ratio[:, None]

    scale = (w / big_w)[:, None]
    # Sum of z and of z^2 over the respondents of each cell: those who chose the answer, those who
    # chose another, and those who did not answer.
    z_sum = (scale * (sums - n_c[:, None] * fitted)).sum(axis=0)
    others = answered[:, None] - m
    silent = (n_c - answered)[:, None]
    z_squares = (
        scale**2
        * (m * (1 - share[None, :] - fitted) ** 2 + others * (share[None, :] + fitted) ** 2 + silent * fitted**2)
    ).sum(axis=0)
    variance = n / (n - 1) * np.maximum(z_squares - z_sum**2 / n, 0.0)
    standard_error = np.sqrt(variance)

    t = stats.t.ppf(0.5 + level / 2, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        logit = np.log(share / (1 - share))
        half = t * standard_error / (share * (1 - share))
        low = 1 / (1 + np.exp(-(logit - half)))
        high = 1 / (1 + np.exp(-(logit + half)))
    # At 0% or 100% the logit interval is undefined; the share is then known only to be at that end.
    low = np.where(share <= 0, 0.0, np.where(share >= 1, np.nan, low))
    high = np.where(share >= 1, 1.0, np.where(share <= 0, np.nan, high))
    return LinearisedShares(share, standard_error, low, high, df)
