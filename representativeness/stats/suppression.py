"""Small-number suppression for published counts (docs/domain.md, "Publishing counts safely").

Primary suppression hides every count below `threshold` (default 10): 1..9 by default. Zeros are shown
unless `suppress_zeros=True`, because "no responses from this group" identifies nobody and is the most
useful fact an outreach report can give.

Secondary suppression stops a hidden count being recovered by subtraction. A table is described by
`SumGroup`s, each "total = sum of parts" with every cell shown somewhere (e.g. total respondents =
answered + prefer not to say + skipped; answered = sum of broad ethnic groups; each broad group = sum of
its detailed groups). Whenever exactly one cell of a group (its total included) is hidden, the smallest
other cell of that group is hidden too, repeated over all groups until nothing changes.

Why that is enough for a hierarchy: when each cell is a part of at most one group and the total of at
most one, the cells and groups form a tree. In any combination of the groups' equations that could
isolate one hidden cell, a "leaf" equation of the combination shares at most one hidden cell with the
rest, so with two or more hidden cells it keeps one to itself, and with two leaves there are two such
cells left over: no combination of shown totals gives a single hidden cell. (The tests check this with
linear algebra.) It is NOT enough for tables that cross-classify the same cells two ways (a grid with
row and column totals); those need a different method.

Complementary cells are chosen among non-zero cells first: if a zero were hidden beside a count of 3,
anyone who knows the rule (hidden cells are 1..9, or 0 or >= 10 when hidden as a complement) could
work out that the pair is 3 and 0. A zero is hidden only when a group has no other cell left.

Limits, stated plainly: a reader who knows the rule can still narrow a hidden cell to a range (two
hidden cells summing to 2 must both be 1). Rounding to the nearest 5 is the alternative the domain notes
mention if that matters more than exact counts. Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10

# Columns of a comparison table still shown on a row whose count is hidden: they come from the census,
# or (flag, direction, small_count) say only which side of a threshold the group falls. Everything else
# in the row is built on the hidden count and is hidden with it (deny by default, so a column added to
# the table later stays hidden until someone decides it is safe).
KEEP_WHEN_COUNT_HIDDEN: tuple[str, ...] = ("census_share", "flag", "direction", "small_count")
# Columns still shown when the number who answered (the denominator of every share) is hidden: a share
# or `expected` (= n * p_c) beside a shown count would give n back.
KEEP_WHEN_DENOMINATOR_HIDDEN: tuple[str, ...] = (
    "respondents",
    "census_share",
    "flag",
    "direction",
    "small_count",
)


@dataclass(frozen=True, slots=True)
class SumGroup:
    """Cells that must add up: `total` = sum of `parts`. Labels are the labels of the counts Series."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (*self.parts, self.total)


def characteristic_sum_groups(
    categories: Sequence[Hashable],
    *,
    broad_groups: Mapping[Hashable, Sequence[Hashable]] | None = None,
    total: Hashable = "total",
    answered: Hashable = "answered",
    prefer_not_to_say: Hashable = "prefer_not_to_say",
    skipped: Hashable = "skipped",
) -> list[SumGroup]:
    """The sums a characteristic's published table shows, as `SumGroup`s.

    total = answered + prefer_not_to_say + skipped; answered = sum of the categories, or, with
    `broad_groups` ({broad label: its detailed categories}), answered = sum of the broad groups and each
    broad group = sum of its detailed categories. Every label must be distinct (prefix them if a broad
    and a detailed group share a name).
    """
    groups = [SumGroup(total, (answered, prefer_not_to_say, skipped))]
    if broad_groups is None:
        groups.append(SumGroup(answered, tuple(categories)))
    else:
        members = [category for parts in broad_groups.values() for category in parts]
        if sorted(map(repr, members)) != sorted(map(repr, categories)):
            raise ValueError("each category must belong to exactly one broad group")
        groups.append(SumGroup(answered, tuple(broad_groups)))
        groups.extend(SumGroup(broad, tuple(parts)) for broad, parts in broad_groups.items())
    labels = [label for group in groups for label in group.parts] + [total]
    if len(set(labels)) != len(labels):
        raise ValueError("every cell of the table needs its own label")
    return groups


def suppression_mask(
    counts: pd.Series,
    groups: Iterable[SumGroup],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    always_shown: Collection[Hashable] = (),
    suppress_zeros: bool = False,
) -> pd.Series:
    """True for every count that must be hidden (primary or secondary), indexed like `counts`.

    `counts`: every cell of the table (categories, group totals, answered, prefer not to say, skipped,
    total). `always_shown`: cells published regardless, such as the survey's total of respondents, which
    appears elsewhere in the report anyway; they are never hidden, even below the threshold, and never
    chosen as complements. Raises ValueError if a group's parts do not add up to its total (the
    hierarchy would be wrong and the protection void) or if a hidden cell cannot be protected because
    every other cell of its group is always shown.
    """
    groups = list(groups)
    if counts.index.has_duplicates:
        raise ValueError("cell labels must be unique")
    values = counts.astype(float)
    if (values < 0).any() or values.isna().any():
        raise ValueError("counts must be >= 0")
    unknown = {cell for group in groups for cell in group.cells} - set(counts.index)
    unknown |= set(always_shown) - set(counts.index)
    if unknown:
        raise ValueError(f"labels not in counts: {sorted(map(str, unknown))}")
    value_of: dict[Hashable, float] = dict(zip(counts.index, values, strict=True))
    for group in groups:
        if not np.isclose(sum(value_of[part] for part in group.parts), value_of[group.total]):
            raise ValueError(f"the parts of {group.total!r} do not add up to it")

    fixed = set(always_shown)
    hidden = {
        label
        for label, value in value_of.items()
        if value < threshold and (value > 0 or suppress_zeros) and label not in fixed
    }

    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden_here = [cell for cell in group.cells if cell in hidden]
            if len(hidden_here) != 1:
                continue
            hidden.add(_complement(group, hidden, fixed, value_of, hidden_here[0]))
            changed = True
    return pd.Series([label in hidden for label in counts.index], index=counts.index, name="suppressed")


def apply_suppression(
    table: pd.DataFrame,
    mask: pd.Series,
    *,
    denominator: Hashable | None = "answered",
    keep_when_count_hidden: Sequence[str] = KEEP_WHEN_COUNT_HIDDEN,
    keep_when_denominator_hidden: Sequence[str] = KEEP_WHEN_DENOMINATOR_HIDDEN,
) -> pd.DataFrame:
    """A copy of a comparison table ready to publish: hidden values are None, plus a `suppressed` column.

    A row whose own count is hidden keeps only `keep_when_count_hidden` columns; every other value (count,
    share, ratio and its interval, gap, p and q values, outreach figure...) becomes None and
    `suppressed` is True. If the `denominator` cell (the number who answered) is hidden, every share
    and everything built on one is hidden on every row too, since share and count together give n;
    those rows keep their counts and `suppressed` stays False. Every row label must be in `mask`.
    """
    missing = [label for label in table.index if label not in mask.index]
    if missing:
        raise ValueError(f"rows without a suppression decision: {sorted(map(str, missing))}")
    # A denominator the mask knows nothing about would silently leave every share shown: refuse it.
    if denominator is not None and denominator not in mask.index:
        raise ValueError(f"the denominator {denominator!r} has no suppression decision")
    row_hidden = mask.reindex(table.index).astype(bool).to_numpy()
    denominator_hidden = denominator is not None and bool(mask.to_dict()[denominator])

    result = table.astype(object)
    for column in table.columns:
        hide = np.zeros(len(table), dtype=bool)
        if column not in keep_when_count_hidden:
            hide |= row_hidden
        if denominator_hidden and column not in keep_when_denominator_hidden:
            hide[:] = True
        if hide.any():  # assigning through .loc costs even when nothing is hidden
            values = result[column].to_numpy(dtype=object, copy=True)
            values[hide] = None
            result[column] = values
    # `suppressed` says "hidden to protect someone", which a reader must be able to tell apart from a
    # value that is None because it is undefined (no census baseline, nobody answered).
    result["suppressed"] = row_hidden
    return result


def suppress_counts(counts: pd.Series, mask: pd.Series) -> pd.Series:
    """The counts with hidden ones replaced by None (for the answered / prefer not to say / skipped
    and total figures shown beside a table)."""
    result = counts.astype(object)
    result[mask.reindex(counts.index).astype(bool).to_numpy()] = None
    return result


def _complement(
    group: SumGroup,
    hidden: set[Hashable],
    fixed: set[Hashable],
    value_of: Mapping[Hashable, float],
    exposed: Hashable,
) -> Hashable:
    """The next cell to hide in a group with exactly one hidden cell: the smallest non-zero one.

    Parts before the total on equal counts (hiding a total cascades upwards), then the order given.
    """
    candidates = [
        (position, cell) for position, cell in enumerate(group.cells) if cell not in hidden and cell not in fixed
    ]
    if not candidates:
        raise ValueError(f"cannot protect hidden cell {exposed!r}: every other cell of its group is always shown")

    def preference(candidate: tuple[int, Hashable]) -> tuple[bool, float, int]:
        position, cell = candidate
        return (value_of[cell] == 0, value_of[cell], position)

    return min(candidates, key=preference)[1]
