"""Weighted results for one survey question: shares per answer, with and without weighting.

Input is cells - the raking characteristics plus the answer, with respondent counts (e.g. a SQL
``GROUP BY age_band, sex, ..., answer``) - and the weight each respondent of a cell carries (from
:func:`representativeness.stats.raking.rake_cells`). Intervals for raked shares are design-based:
each answer's own linearised variance (representativeness.stats.linearisation, as R's ``svymean``
and ``svyciprop`` on a raked design). The Kish effective sample size, one figure for every answer,
gives intervals from 0.9 to 1.9 times too wide or narrow, so it is kept only as a summary and for
weights that come without their raking. Unweighted shares get Wilson's interval.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import pandas as pd

from representativeness.stats.linearisation import LinearisedShares, linearised_shares
from representativeness.stats.raking import RakeResult

FloatArray = npt.NDArray[np.float64]

# Shares closer than this (relative) count as tied for the lead.
_TIE_RTOL = 1e-12


def wilson_interval(share: npt.ArrayLike, n: npt.ArrayLike, level: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a proportion ``share`` observed on ``n`` (may be an effective n).

    Returns (low, high); NaN where n is not positive.
    """
    p = np.asarray(share, dtype=np.float64)
    size = np.asarray(n, dtype=np.float64)
    z = _z(level)
    with np.errstate(divide="ignore", invalid="ignore"):
        z2n = z * z / size
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / size + z2n / (4 * size))
        low = np.where(size > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(size > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def wilson_bounds(share: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """`wilson_interval` of one share, with the same arithmetic on plain floats (an analysis asks for
    thousands, one at a time)."""
    if not (n > 0 and 0 <= share <= 1):
        (low,), (high,) = wilson_interval([share], [n], level)
        return float(low), float(high)
    z = _z(level)
    z2n = z * z / n
    centre = (share + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(share * (1 - share) / n + z2n / (4 * n))
    return min(max(centre - half, 0.0), 1.0), min(max(centre + half, 0.0), 1.0)


@functools.cache
def _z(level: float) -> float:
    return NormalDist().inv_cdf(0.5 + level / 2)


@dataclass(frozen=True)
class WeightedResults:
    """Answer shares for one question.

    ``table`` is indexed by answer option with columns ``respondents``, ``unweighted_share``,
    ``unweighted_low``/``unweighted_high`` (Wilson on n), ``weighted_respondents`` (sum of weights),
    ``weighted_share`` and ``weighted_low``/``weighted_high`` (Wilson on the effective n).
    ``leader_unweighted`` / ``leader_weighted`` are the leading option(s) (more than one on a tie);
    ``leader_changes`` says whether weighting changes them. ``no_answer`` counts respondents in the
    cells who did not answer this question (left out of the shares).
    """

    table: pd.DataFrame
    n: int
    effective_n: float
    design_effect: float
    no_answer: int
    leader_unweighted: tuple[Hashable, ...]
    leader_weighted: tuple[Hashable, ...]
    leader_changes: bool
    level: float = 0.95
    notes: list[str] = field(default_factory=list)
    # "linearised" (raked weights: design-based, as R's survey package) or "kish" (other weights)
    interval: str = "linearised"


# A standard error of a share below this is zero but for rounding: the answer follows the raking margins
# exactly (every woman gave one answer, every man the other), and p (1 - p) / se^2 would be about 1e32.
_FIXED_BY_WEIGHTING_SE = 1e-9


def random_sample_sizes(results: WeightedResults) -> FloatArray:
    """Per answer, the size of a random sample whose interval on the share would be as wide as the
    weighted one: p (1 - p) / se^2, from the linearised standard error (NaN at 0% or 100%, and where the
    weighting fixes the share exactly)."""
    p = results.table["weighted_share"].to_numpy(dtype=np.float64)
    se = results.table["weighted_se"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((p > 0) & (p < 1) & (se > _FIXED_BY_WEIGHTING_SE), p * (1 - p) / se**2, np.nan)


def _leaders(options: pd.Index, shares: FloatArray) -> tuple[Hashable, ...]:
    if len(shares) == 0 or not np.any(shares > 0):
        return ()
    top = shares.max()
    return tuple(options[shares >= top * (1 - _TIE_RTOL)])


def weighted_results(
    cells: pd.DataFrame,
    answer: str,
    weights: pd.Series | RakeResult,
    *,
    count: str | None = "count",
    options: Sequence[Hashable] | None = None,
    level: float = 0.95,
) -> WeightedResults:
    """Unweighted and weighted share of each answer option, with intervals and the change of leader.

    ``cells`` has an ``answer`` column (missing = did not answer), a ``count`` column of respondents
    (``count=None``: one respondent per row) and, when ``weights`` is a :class:`RakeResult`, the
    raking columns, whose weights are looked up per cell. Otherwise ``weights`` is a Series on
    ``cells.index`` giving the weight of each respondent of the cell. ``options`` lists every answer
    option in display order (default: the answer column's categories, else the options seen), so
    options nobody chose still appear with share 0.
    """
    if answer not in cells.columns:
        raise ValueError(f"The cells have no {answer!r} column.")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1.")
    counts = np.ones(len(cells)) if count is None else cells[count].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError("Counts must be finite and non-negative.")
    rake: RakeResult | None = None
    positions: npt.NDArray[np.int64] | None = None
    if isinstance(weights, RakeResult):
        rake = weights
        if rake.combinations_unique:
            positions = rake.cell_positions(cells)
            w = rake.weights_at(positions)
        else:
            w = rake.weights_for(cells).to_numpy(dtype=np.float64)
    else:
        if not weights.index.equals(cells.index):
            raise ValueError("weights must have the same index as cells.")
        w = weights.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(w[counts > 0])) or np.any(w[counts > 0] < 0):
        raise ValueError("Weights must be finite and non-negative.")

    values = cells[answer]
    answered = values.notna().to_numpy()
    if options is None:
        if isinstance(values.dtype, pd.CategoricalDtype):
            options = list(values.cat.categories)
        else:
            options = list(pd.unique(values[answered].to_numpy()))
    index = pd.Index(list(options), name=answer, tupleize_cols=False)
    if not index.is_unique:
        raise ValueError("options repeat an answer.")
    codes = index.get_indexer(pd.Index(values.astype(object)))
    unknown = answered & (codes < 0)
    if np.any(unknown):
        raise ValueError(f"Answers not among the options: {list(pd.unique(values[unknown].to_numpy()))!r}.")

    keep = answered & (counts > 0)
    c, k, wk = codes[keep], counts[keep], w[keep]
    respondents = np.bincount(c, weights=k, minlength=len(index))
    weighted = np.bincount(c, weights=k * wk, minlength=len(index))
    n = float(k.sum())
    total_weight = float(weighted.sum())
    sum_sq = float((k * wk * wk).sum())
    # Kish: the weighted estimate is as precise as a simple random sample of this many respondents.
    effective_n = total_weight * total_weight / sum_sq if sum_sq > 0 else 0.0
    design_effect = n / effective_n if effective_n > 0 else math.nan

    with np.errstate(divide="ignore", invalid="ignore"):
        unweighted_share = respondents / n if n > 0 else np.full(len(index), np.nan)
        weighted_share = weighted / total_weight if total_weight > 0 else np.full(len(index), np.nan)
    u_low, u_high = wilson_interval(unweighted_share, np.full(len(index), n), level)
    if rake is not None and len(rake.design):
        linearised = _linearised(cells, codes, counts, answered, rake, len(index), level, positions)
        w_low, w_high, w_se = linearised.low, linearised.high, linearised.standard_error
        interval = "linearised"
    else:
        # Weights from elsewhere: no design to linearise on, so Wilson on the Kish effective n.
        w_low, w_high = wilson_interval(weighted_share, np.full(len(index), effective_n), level)
        w_se = (
            np.sqrt(weighted_share * (1 - weighted_share) / effective_n)
            if effective_n > 0
            else np.full(len(index), np.nan)
        )
        interval = "kish"
    table = pd.DataFrame(
        {
            "respondents": respondents,
            "unweighted_share": unweighted_share,
            "unweighted_low": u_low,
            "unweighted_high": u_high,
            "weighted_respondents": weighted,
            "weighted_share": weighted_share,
            "weighted_low": w_low,
            "weighted_high": w_high,
            "weighted_se": w_se,
        },
        index=index,
    )
    leader_u = _leaders(index, np.nan_to_num(unweighted_share))
    leader_w = _leaders(index, np.nan_to_num(weighted_share))
    changes, notes = _leader_change(table, leader_u, leader_w)
    no_answer = int(round(counts[~answered].sum()))
    return WeightedResults(
        table=table,
        n=int(round(n)),
        effective_n=effective_n,
        design_effect=design_effect,
        no_answer=no_answer,
        leader_unweighted=leader_u,
        leader_weighted=leader_w,
        leader_changes=changes,
        level=level,
        notes=notes,
        interval=interval,
    )


def _leader_change(
    table: pd.DataFrame,
    leader_u: tuple[Hashable, ...],
    leader_w: tuple[Hashable, ...],
    places: int | None = None,
) -> tuple[bool, list[str]]:
    """Weighting changes the leading answer only when each leader was clearly ahead of the other: the
    unweighted leader's interval wholly above the other's before weighting, and the weighted leader's
    wholly above it after. Never on a tie.

    With `places`, the intervals are compared as a reader sees them, as percentages to that many decimal
    places: 43.9% to 50.0% and 50.0% to 56.1% touch, whatever the bounds are to a thousandth of a point, so
    no change of leader is claimed that the figures shown do not show."""
    if set(leader_u) == set(leader_w) or len(leader_u) != 1 or len(leader_w) != 1:
        return False, []
    (before,), (after,) = leader_u, leader_w

    def bound(answer: Hashable, column: str) -> float:
        value = float(table[column].to_numpy(dtype=np.float64)[table.index.get_loc(answer)])
        return value if places is None or value != value else float(f"{value * 100:.{places}f}")

    clear_before = bound(before, "unweighted_low") > bound(after, "unweighted_high")
    clear_after = bound(after, "weighted_low") > bound(before, "weighted_high")
    if clear_before and clear_after:
        return True, [f"Weighting changes the leading answer from {before} to {after}."]
    return False, [
        f"Weighted, {after} is ahead of {before}, but within the uncertainty of the figures: neither clearly leads."
    ]


def leader_change_as_shown(results: WeightedResults, places: int) -> WeightedResults:
    """`results` with the change of leader decided on the intervals as shown, as percentages to `places`
    decimal places (the page, the downloads and the API then say the same as the figures beside them)."""
    changes, notes = _leader_change(results.table, results.leader_unweighted, results.leader_weighted, places)
    return replace(results, leader_changes=changes, notes=notes)


def _linearised(
    cells: pd.DataFrame,
    codes: npt.NDArray[np.int64],
    counts: FloatArray,
    answered: npt.NDArray[np.bool_],
    rake: RakeResult,
    options: int,
    level: float,
    positions: npt.NDArray[np.int64] | None,
) -> LinearisedShares:
    """Linearised variances on the raked cells: each answer counted into the raked cell with the same
    characteristics; every raked respondent, whether they answered this question or not, takes part."""
    positions = rake.cell_positions(cells) if positions is None else positions
    chose = np.zeros((len(rake.design), options))
    keep = answered & (counts > 0)
    np.add.at(chose, (positions[keep], codes[keep]), counts[keep])
    # Raked cells that repeat a combination are counted together, at its first position.
    respondents = rake.respondents_by_position
    weights = rake.cells["weight"].to_numpy(dtype=np.float64)
    return linearised_shares(rake.design, respondents, chose, weights, level=level, calibrated=rake.untrimmed_weights)
