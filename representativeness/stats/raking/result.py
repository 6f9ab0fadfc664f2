"""The result of raking: weights with their diagnostics, and Kish's design effect."""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


@dataclass(frozen=True)
class RakeResult:
    """Raking weights and diagnostics.

    ``weights`` has mean 1 over respondents: one weight per row for :func:`rake`; for
    :func:`rake_cells` the weight each respondent of the cell carries (index of the cells).
    ``max_margin_error`` is the largest relative margin error ``|weighted - target| / target``.
    ``capped`` counts respondents whose weight is at the cap.
    ``empty_categories`` lists census categories that had no respondents, by characteristic;
    ``collapsed`` maps collapsed columns to {broad group: [detailed categories]}; ``dropped`` names
    characteristics left out of the weighting; ``notes`` says all of this in plain English.
    ``margins`` has one row per category of each margin used: respondents, sample share, target
    share and weighted share. ``cells`` has one row per cell: the raking columns, ``count``,
    ``base_weight`` (per respondent) and ``weight`` (per respondent).
    """

    weights: pd.Series
    iterations: int
    converged: bool
    max_margin_error: float
    design_effect: float
    effective_sample_size: float
    capped: int
    min_weight: float
    max_weight: float
    n: int
    tol: float
    cap: float | None
    floor: float | None = None
    # True when the bounds were met by trimming after raking (R's trimWeights), not while raking.
    trimmed: bool = False
    # With ``trimmed``: each cell's raked weight before trimming (what its linearised variance is scaled by).
    untrimmed_weights: npt.NDArray[np.float64] | None = None
    empty_categories: dict[str, list[Hashable]] = field(default_factory=dict)
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    margins: pd.DataFrame = field(default_factory=pd.DataFrame)
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)
    used_columns: tuple[str, ...] = ()
    # How many cells, and each margin used's code per cell (as raked: collapsed where it was collapsed,
    # missing the last of its columns) with its number of columns: ``design``, kept as codes (a few bytes
    # a cell) rather than as the indicators (8 bytes a cell and category) until something asks for them.
    design_codes: tuple[int, tuple[tuple[npt.NDArray[np.integer[Any]], int], ...]] = (0, ())
    # The share of the weight each column of ``design`` must carry (the raking targets, as raked).
    design_targets: npt.NDArray[np.float64] = field(default_factory=lambda: np.ones(1))
    # Where worked out (stats.bounds.smallest_max_weight): the smallest largest weight any weights
    # meeting the same margins could have, as a multiple of the mean.
    smallest_possible_max_weight: float | None = None

    @functools.cached_property
    def design(self) -> npt.NDArray[np.float64]:
        """One row per cell of ``cells``: its indicators of the margins' categories as raked, for linearised
        variances (representativeness.stats.linearisation). Nothing raked: a constant column."""
        cells, codes = self.design_codes
        if not codes:
            return np.ones((cells, 1))
        blocks = []
        for margin, width in codes:
            block = np.zeros((cells, width))
            block[np.arange(cells), margin] = 1.0
            blocks.append(block)
        return np.hstack(blocks)

    @functools.cached_property
    def respondents_by_position(self) -> npt.NDArray[np.float64]:
        """Respondents per raked cell, cells repeating a combination counted at its first position."""
        positions = self.cell_positions(self.cells)
        return np.bincount(positions, weights=self.cells["count"].to_numpy(dtype=np.float64), minlength=len(self.cells))

    @functools.cached_property
    def combinations_unique(self) -> bool:
        """Whether every raked cell is a different combination of the raking columns."""
        columns = list(self.used_columns)
        return not columns or not self.cells[columns].duplicated().any()

    def weights_at(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The weight of a respondent in the raked cell at each position (no base weights, unique cells)."""
        return (self.cells["weight"].to_numpy() / self.cells["base_weight"].to_numpy())[positions]

    def cell_positions(self, frame: pd.DataFrame) -> npt.NDArray[np.int64]:
        """For each row of ``frame`` (rows or finer cells with the raking columns), the position in
        ``cells`` of a raked cell with the same characteristics (they share the design row)."""
        columns = list(self.used_columns)
        if not columns:
            return np.zeros(len(frame), dtype=np.int64)
        table = self.cells[columns].astype(object).assign(_position=np.arange(len(self.cells)))
        table = table.drop_duplicates(subset=columns)
        merged = frame[columns].astype(object).merge(table, on=columns, how="left", sort=False)
        positions = merged["_position"].to_numpy(dtype=float)
        if np.isnan(positions).any():
            raise ValueError("Some combinations were not among the raked cells.")
        return positions.astype(np.int64)

    def weights_for(self, frame: pd.DataFrame, *, base_weight: str | None = None) -> pd.Series:
        """The weight of each respondent in ``frame`` (rows or finer cells, e.g. split by an answer).

        ``frame`` needs the raking columns that were used; each of its combinations must have been
        among the raked cells. ``base_weight`` names a column of per-respondent base weights if the
        raking used base weights. Returns a Series on ``frame.index``.
        """
        columns = list(self.used_columns)
        cells = self.cells
        factor = cells["weight"].to_numpy() / cells["base_weight"].to_numpy()
        if not columns:
            # Nothing could be raked: every respondent keeps (a rescaled) base weight.
            base = frame[base_weight].to_numpy(dtype=float) if base_weight else np.ones(len(frame))
            return pd.Series(base * factor[0], index=frame.index, name="weight")
        table = cells[columns].astype(object).assign(_factor=factor)
        table = table.drop_duplicates()
        if table.duplicated(subset=columns).any():
            # With a cap and base weights, respondents of one combination can have different factors.
            spread = table.groupby(columns, dropna=False)["_factor"].agg(lambda s: s.max() / s.min() - 1)
            if (spread > 1e-9).any():
                raise ValueError(
                    "Capping gave respondents with the same characteristics but different base weights "
                    "different factors; look weights up per respondent (rake) instead."
                )
            table = table.drop_duplicates(subset=columns)
        left = frame[columns].astype(object)
        merged = left.merge(table, on=columns, how="left", sort=False)
        values = merged["_factor"].to_numpy(dtype=float)
        if np.isnan(values).any():
            unmatched = left[np.isnan(values)].drop_duplicates().head(20)
            raise ValueError(
                "These combinations were not among the raked cells: "
                f"{[tuple(row) for row in unmatched.itertuples(index=False)]!r}."
            )
        if base_weight is not None:
            values = values * frame[base_weight].to_numpy(dtype=float)
        return pd.Series(values, index=frame.index, name="weight")


def kish_design_effect(weights: npt.ArrayLike, counts: npt.ArrayLike | None = None) -> float:
    """Kish's design effect ``n * sum(w^2) / (sum w)^2`` (``counts`` = respondents per weight)."""
    w = np.asarray(weights, dtype=np.float64)
    c = np.ones_like(w) if counts is None else np.asarray(counts, dtype=np.float64)
    n = c.sum()
    total = (c * w).sum()
    if n <= 0 or total <= 0:
        return math.nan
    return float(n * (c * w * w).sum() / (total * total))
