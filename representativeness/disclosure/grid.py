"""Protecting a grid: rows (weeks, outreach activities...) by columns that are groups of people, possibly
nested or overlapping (a broad group and a detailed group inside it), as one table.

The people counted are split into **leaves**: the sets of people who belong to exactly the same columns
(for "Asian" and "Indian": Indian, the rest of Asian, everyone else). Every published cell, a row's count
in a column, is the sum of that row's leaves the column holds; every row's total and every leaf's total
are taken as known to the reader (a row's total counts responses, not anyone's answers; a leaf's total is
what the report of the same figures publishes, or can be worked out from it), so the audit assumes the
strongest reader. Cells published separately, each against its own row total, could be subtracted from
each other (Asian through an event less Indian through it is the event's other Asian respondents); as one
table, `suppression` hides whatever a reader could work back to within fewer than `min_uncertainty` values.

Leaf cells and the cells of rows the caller does not publish (responses through no activity) are counted
in the sums but never shown: the audit starts with them hidden, protects them like any hidden count when
they are small (the rest of Asian through an event is a count of people), and never assumes the reader
knows whether one is zero.

Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping

import pandas as pd

from representativeness.disclosure.protection import Protection
from representativeness.disclosure.suppression import SumGroup

_CELL, _LEAF, _ROW, _LEAF_TOTAL = "cell", "leaf", "row", "leaf total"


def protect_grid(
    leaves: pd.DataFrame,
    columns: Mapping[Hashable, Collection[Hashable]],
    *,
    protection: Protection,
    published_rows: Collection[Hashable] | None = None,
) -> pd.DataFrame:
    """Which of the grid's published cells to hide: True where hidden, indexed like `leaves` by `columns`.

    `leaves`: one row per row of the grid, one column per leaf, each person counted in exactly one row and
    one leaf. `columns`: each published column and the leaves it adds up. `published_rows`: the rows whose
    cells are shown (default: all); the others are counted in the sums but never shown. For the exact
    audience nothing is hidden.
    """
    index, names = list(leaves.index), list(columns)
    if protection.exact or leaves.empty:
        return pd.DataFrame(False, index=index, columns=names, dtype=bool)
    shown_rows = set(index if published_rows is None else published_rows)
    unknown = {leaf for parts in columns.values() for leaf in parts} - set(leaves.columns)
    if unknown:
        raise ValueError(f"columns name leaves not in the grid: {sorted(map(str, unknown))}")
    value: dict[tuple[Hashable, Hashable], int] = {
        (row, leaf): int(n)
        for row, numbers in zip(index, leaves.to_numpy(dtype="int64"), strict=True)
        for leaf, n in zip(leaves.columns, numbers, strict=True)
    }
    counts: dict[Hashable, int] = {}
    groups: list[SumGroup] = []
    for row in index:
        counts.update({(_LEAF, row, leaf): value[(row, leaf)] for leaf in leaves.columns})
        counts[(_ROW, row)] = sum(value[(row, leaf)] for leaf in leaves.columns)
        groups.append(SumGroup((_ROW, row), tuple((_LEAF, row, leaf) for leaf in leaves.columns)))
        for name, parts in columns.items():
            cell = (_CELL, row, name)
            counts[cell] = sum(value[(row, leaf)] for leaf in parts)
            groups.append(SumGroup(cell, tuple((_LEAF, row, leaf) for leaf in parts)))
    for leaf in leaves.columns:
        counts[(_LEAF_TOTAL, leaf)] = sum(value[(row, leaf)] for row in index)
        groups.append(SumGroup((_LEAF_TOTAL, leaf), tuple((_LEAF, row, leaf) for row in index)))
    known = [(_ROW, row) for row in index] + [(_LEAF_TOTAL, leaf) for leaf in leaves.columns]

    unpublished = [cell for cell in counts if cell[0] == _LEAF or (cell[0] == _CELL and cell[1] not in shown_rows)]  # type: ignore[index]
    series = pd.Series(list(counts.values()), index=pd.Index(list(counts), tupleize_cols=False), dtype="int64")
    mask = protection.mask(series, groups, always_shown=known, unpublished=unpublished, implied_by_shown=True)
    hidden = dict(zip(mask.index, mask.to_numpy(dtype=bool), strict=True))
    return pd.DataFrame(
        [[bool(hidden[(_CELL, row, name)]) for name in names] for row in index], index=index, columns=names, dtype=bool
    )
