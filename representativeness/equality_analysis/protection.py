"""Which counts of one question-by-characteristic table the protected audience may not see.

The table is the question's answers (columns) by the characteristic's groups (rows), with each row's
total (who answered) and the total over the groups (everyone who answered the question and stated the
characteristic: the "everyone else" figures are built from it). That total row is always shown: the
weighting page publishes the question's totals, and the answers of people who did not state the
characteristic reveal no protected characteristic, so a reader is assumed to know them both. Every
other relation (each row adds up to its total, each column to the total row) is given to the disclosure
module as a sum; the table has cycles, which the module solves as linear programmes, hiding
complements wherever a hidden count could be worked back out.

Each group's "answered" is part of the group's whole count (`stated`, the report's count, which another
question everyone answered repeats); the rest are the group's respondents who did not answer this
question (skipped it, or were routed past it). A reader who reads responses one by one (officers do)
knows who they are, so their count by group is protected like any other: a column of the table
(NOT_ANSWERED) whose total is always shown (everyone who stated the characteristic, less those who
answered). A group's whole count is taken as known where the report of the same snapshot shows it
(`known`) and as never published where the report hides it; the report protects the whole counts
against their total itself. Without this, a group's "answered" to a question one respondent skipped,
beside the report's count or its "answered" to another question, gave that respondent's group away.
"""

from collections.abc import Callable, Collection, Mapping, Sequence

import pandas as pd

from representativeness.disclosure import Protection, SumGroup
from representativeness.equality_analysis.characteristics import NOT_STATED

ANSWERED = "(answered)"
NOT_ANSWERED = "(not answered)"
EVERYONE = "(everyone)"
STATED = "(stated)"


def cell(row: str, column: str) -> str:
    return f"{row}\x1f{column}"


def known_groups(protection: Protection, stated: Mapping[str, int], reported: Collection[str] | None) -> set[str]:
    """The groups whose whole count a reader knows: those the report of the same snapshot shows
    (`reported`), or, for a characteristic the report does not publish (no census table), those that
    table of whole counts would show, protected as the report protects one."""
    if reported is not None:
        return {group for group in stated if group in reported}
    counts = pd.Series({**stated, STATED: sum(stated.values())}, dtype=float)
    try:
        mask = protection.mask(counts, [SumGroup(STATED, tuple(stated))], always_shown=[STATED])
    except ValueError:
        return set()
    return {group for group in stated if not mask[group]}


def hidden_cells(
    protection: Protection,
    grid: pd.DataFrame,
    partitions: Sequence[Sequence[str]],
    stated: Mapping[str, int] | None = None,
    known: Callable[[], Collection[str]] = set,
) -> set[str]:
    """The labels (`cell(row, column)`) of every count to hide; empty for the exact audience.

    `grid`: respondents by group (index; a NOT_STATED row is ignored) and answer column (every column
    of every partition). Each partition's columns add up to the row's ANSWERED. `stated`: each group's
    whole count (`counting.stated_counts`), of which ANSWERED is part, and `known` gives the groups whose
    whole count the reader knows (`known_groups`; asked only where someone who stated the characteristic
    did not answer); without `stated`, only the question's own table is protected.
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
    totals = [ANSWERED]
    sums: list[SumGroup] = []
    whole: list[str] = []
    unpublished: list[str] = []
    answered = sum(values[cell(g, ANSWERED)] for g in groups)
    skipped = stated is not None and sum(stated.get(g, 0) for g in groups) > answered > 0
    if stated is not None and skipped:
        # Where everyone who stated the characteristic answered, each group's "answered" is its whole count
        # and the question's own table is the report's table by answer; where none of them answered, those
        # who did not are the report's table itself: nothing more to protect here, either way.
        totals.append(NOT_ANSWERED)
        knows = known()
        for group in groups:
            values[cell(group, EVERYONE)] = stated.get(group, 0)
            values[cell(group, NOT_ANSWERED)] = stated.get(group, 0) - values[cell(group, ANSWERED)]
            sums.append(SumGroup(cell(group, EVERYONE), (cell(group, ANSWERED), cell(group, NOT_ANSWERED))))
            (whole if group in knows else unpublished).append(cell(group, EVERYONE))
    for column in [*columns, *totals]:
        values[cell(STATED, column)] = sum(values[cell(g, column)] for g in groups)
        sums.append(SumGroup(cell(STATED, column), tuple(cell(g, column) for g in groups)))
    for row in [*groups, STATED]:
        for partition in partitions:
            sums.append(SumGroup(cell(row, ANSWERED), tuple(cell(row, c) for c in partition)))
    counts = pd.Series(values)
    always = [cell(STATED, c) for c in [*columns, *totals]] + whole
    try:
        mask = protection.mask(counts, sums, always_shown=always, unpublished=unpublished)
    except ValueError:
        # The module found no way to protect a small count: publish none of this table's group counts.
        return {label for label in values if label not in always}
    return {label for label, hidden in mask.items() if hidden}
