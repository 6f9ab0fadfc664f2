"""The two entry points: :func:`rake` on one row per respondent, :func:`rake_cells` on aggregated cells."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from representativeness.stats.collapse import Hierarchy
from representativeness.stats.raking.cells import (
    FloatArray,
    Targets,
    base_weights,
    encode,
    encode_column,
    group_rows,
    labels_by_column,
    parse_targets,
)
from representativeness.stats.raking.fitting import fit_margins
from representativeness.stats.raking.result import RakeResult


def rake(
    sample: pd.DataFrame,
    targets: Targets,
    *,
    weights: pd.Series | npt.ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    cap: float | None = None,
    hierarchy: Hierarchy | None = None,
    min_cell: int | None = None,
    floor: float | None = None,
    trim: bool = False,
) -> RakeResult:
    """Rake respondent weights so each characteristic's weighted distribution matches its targets.

    ``sample`` has one row per respondent and one column per characteristic holding category labels
    (missing as NaN; pandas categoricals welcome). ``targets`` maps a column name to
    {category: population count or share}; a tuple of column names maps to {(label, label): count}
    for a joint target. ``weights`` are optional base weights (positive, aligned with the rows).
    ``tol`` is the largest relative margin error allowed, ``max_iter`` the most iterations (one
    iteration adjusts every margin once), ``cap`` an optional maximum weight as a multiple of the
    mean. ``hierarchy`` ({column: {detailed label: broad label}}) says how to collapse a
    characteristic that has census categories without respondents; without it such a
    characteristic is left out. ``min_cell``: categories with fewer respondents are collapsed along
    ``hierarchy``, then combined with the next smallest (see ``collapsing.pool_small``) before raking.
    ``floor``: a lowest weight, a multiple of the mean (with ``cap``, bounded raking as R's
    ``calibrate(..., calfun = "raking", bounds = c(floor, cap))``). ``trim``: rake without bounds, then
    trim the weights to ``floor`` and ``cap`` as R's ``trimWeights(..., strict = TRUE)`` does (the margins
    are then only roughly met; ``max_margin_error`` says how roughly).
    See the module docstring for the conventions.

    Internally the rows are grouped into cells (distinct combinations of the raking columns and base
    weight) and :func:`rake_cells`' engine rakes the cells.
    """
    if len(sample) == 0:
        raise ValueError("There are no respondents to weight.")
    specs = parse_targets(targets)
    column_labels = labels_by_column(specs)
    absent = [column for column in column_labels if column not in sample.columns]
    if absent:
        raise ValueError(f"The sample has no column {absent[0]!r}, which the targets use.")
    # Cells are combinations of the individual columns (not of the margins), so that each cell keeps
    # its own labels even when a joint margin treats it as missing.
    keys = [encode_column(sample[column], labels, repr(column)) for column, labels in column_labels.items()]
    radices = [len(labels) + 1 for labels in column_labels.values()]
    base_values: FloatArray | None = None
    if weights is not None:
        base_row = base_weights(weights, sample.index)
        # Respondents with different base weights go to different cells so that every respondent of
        # a cell has the same final weight (needed for an exact cap and design effect).
        base_code, uniques = pd.factorize(base_row)
        keys.append(base_code.astype(np.int64))
        radices.append(len(uniques))
        base_values = np.asarray(uniques, dtype=np.float64)
    cell_of_row, cell_codes, counts = group_rows(keys, radices)
    base = base_values[cell_codes[-1]] if base_values is not None else np.ones(len(counts))
    frame = pd.DataFrame(
        {
            column: pd.Categorical.from_codes(
                np.where(codes == len(labels), -1, codes), categories=pd.Index(labels, tupleize_cols=False)
            )
            for (column, labels), codes in zip(column_labels.items(), cell_codes, strict=False)
        }
    )
    # The margins are coded on the cells, which are few, so joint margins cost nothing extra here.
    margin_codes = [encode(frame, spec) for spec in specs]
    fit = fit_margins(
        specs,
        frame,
        margin_codes,
        counts.astype(np.float64),
        base,
        tol=tol,
        max_iter=max_iter,
        cap=cap,
        hierarchy=hierarchy,
        min_cell=min_cell,
        floor=floor,
        trim=trim,
    )
    cells = frame.assign(count=counts, base_weight=base, weight=fit.weights)
    return RakeResult(
        weights=pd.Series(fit.weights[cell_of_row], index=sample.index, name="weight"),
        cells=cells,
        **fit.result_kwargs,
    )


def rake_cells(
    cells: pd.DataFrame,
    targets: Targets,
    *,
    count: str = "count",
    weight: str | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    cap: float | None = None,
    hierarchy: Hierarchy | None = None,
    min_cell: int | None = None,
    floor: float | None = None,
    trim: bool = False,
) -> RakeResult:
    """Rake aggregated cells, e.g. the result of ``GROUP BY age_band, sex, ...`` with ``COUNT(*)``.

    ``cells`` has the characteristic columns (labels, missing as NaN), a ``count`` column of
    respondents and optionally a ``weight`` column with the *sum* of the respondents' base weights.
    With base weights and a ``cap``, group by the base weight too, so that the respondents of a cell
    share one base weight (the cap applies per respondent). Cells may repeat a combination (e.g.
    grouped by an extra column); they are raked together. Other arguments as for :func:`rake`.

    The result's ``weights`` is the weight of each respondent of each cell (index of ``cells``),
    with mean 1 over respondents; cells with count 0 get the weight their combination would have.
    """
    if count not in cells.columns:
        raise ValueError(f"The cells have no {count!r} column.")
    counts = cells[count].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError(f"The {count!r} column must be finite and non-negative.")
    if weight is None:
        base = np.ones(len(cells))
    else:
        if weight not in cells.columns:
            raise ValueError(f"The cells have no {weight!r} column.")
        sums = cells[weight].to_numpy(dtype=np.float64)
        occupied = counts > 0
        if not np.all(np.isfinite(sums)) or np.any(sums[occupied] <= 0):
            raise ValueError(f"The {weight!r} column must be positive wherever the count is.")
        base = np.divide(sums, counts, out=np.ones(len(cells)), where=occupied)
    specs = parse_targets(targets)
    codes = [encode(cells, spec) for spec in specs]
    frame = cells.reset_index(drop=True)
    fit = fit_margins(
        specs,
        frame,
        codes,
        counts,
        base,
        tol=tol,
        max_iter=max_iter,
        cap=cap,
        hierarchy=hierarchy,
        min_cell=min_cell,
        floor=floor,
        trim=trim,
    )
    columns = list(dict.fromkeys(c for spec in specs for c in spec.columns))
    # The cells' own columns and the three figures side by side, sharing their arrays (the weights are also
    # ``weights``'): nothing per cell is copied.
    table = pd.DataFrame(
        {**{column: cells[column] for column in columns}, "count": counts, "base_weight": base, "weight": fit.weights},
        index=cells.index,
        copy=False,
    )
    return RakeResult(
        weights=pd.Series(fit.weights, index=cells.index, name="weight", copy=False),
        cells=table,
        **fit.result_kwargs,
    )
