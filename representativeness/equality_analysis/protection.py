"""Which counts of one question-by-characteristic table the protected audience may not see.

The table is the question's answers (columns) by the characteristic's groups (rows), with each row's
total (who answered) and the total over the groups (everyone who answered the question and stated the
characteristic: the "everyone else" figures are built from it). That total row is always shown: the
weighting page publishes the question's totals, and the answers of people who did not state the
characteristic reveal no protected characteristic, so a reader is assumed to know them both. Every
other relation (each row adds up to its total, each column to the total row) is given to the disclosure
module as a sum; the table has cycles, which the module solves as linear programmes, hiding
complements wherever a hidden count could be worked back out.
"""

from collections.abc import Sequence

import pandas as pd

from representativeness.disclosure import Protection, SumGroup
from representativeness.equality_analysis.characteristics import NOT_STATED

ANSWERED = "(answered)"
STATED = "(stated)"


def cell(row: str, column: str) -> str:
    return f"{row}\x1f{column}"


def hidden_cells(protection: Protection, grid: pd.DataFrame, partitions: Sequence[Sequence[str]]) -> set[str]:
    """The labels (`cell(row, column)`) of every count to hide; empty for the exact audience.

    `grid`: respondents by group (index; a NOT_STATED row is ignored) and answer column (every column
    of every partition). Each partition's columns add up to the row's ANSWERED.
    """
    if protection.exact or not partitions:
        return set()
    groups = [g for g in grid.index if g != NOT_STATED]
    columns = [c for partition in partitions for c in partition]
    # Read from plain lists: a few hundred cells a table, and pandas' per-cell lookups cost more than the rest.
    row_of = dict(zip(grid.index, grid.to_numpy(dtype=float).tolist(), strict=True))
    position = {column: j for j, column in enumerate(grid.columns)}
    values: dict[str, float] = {}
    for group in groups:
        for column in columns:
            values[cell(group, column)] = row_of[group][position[column]]
        values[cell(group, ANSWERED)] = sum(values[cell(group, c)] for c in partitions[0])
    sums: list[SumGroup] = []
    for column in [*columns, ANSWERED]:
        values[cell(STATED, column)] = sum(values[cell(g, column)] for g in groups)
        sums.append(SumGroup(cell(STATED, column), tuple(cell(g, column) for g in groups)))
    for row in [*groups, STATED]:
        for partition in partitions:
            sums.append(SumGroup(cell(row, ANSWERED), tuple(cell(row, c) for c in partition)))
    counts = pd.Series(values)
    always = [cell(STATED, c) for c in [*columns, ANSWERED]]
    try:
        mask = protection.mask(counts, sums, always_shown=always)
    except ValueError:
        # The module found no way to protect a small count: publish none of this table's group counts.
        return {label for label in values if label not in always}
    return {label for label, hidden in mask.items() if hidden}
