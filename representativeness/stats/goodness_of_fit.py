"""Chi-square goodness of fit of one characteristic's respondents to its census profile.

The chi-square approximation is poor when expected counts are small, so categories whose expected count
n * p_c is below `min_expected` (default 5) are merged before testing. The merge, repeated until every
group reaches `min_expected` or only one group is left:

- unordered categories (ethnic group, religion): merge the two groups with the smallest expected
  counts (ties broken by the order the categories were given);
- ordered categories (`ordered=True`, e.g. age bands): merge the group with the smallest expected
  count into whichever neighbour has the smaller expected count, so merged groups stay contiguous.

The merge only looks at expected counts (census shares times n), never at the observed ones, so it does
not bend the test towards any answer. Fewer than two groups left means there is nothing to test: the
statistic and p-value are NaN and df is 0. Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chisquare


@dataclass(frozen=True, slots=True)
class GoodnessOfFit:
    """The test result and exactly which categories were tested together."""

    statistic: float
    df: int
    p_value: float
    # Every tested group, in the order of its first category; a group is a tuple of category labels.
    groups: tuple[tuple[Hashable, ...], ...]
    observed: tuple[int, ...]
    expected: tuple[float, ...]
    min_expected: float

    @property
    def merged(self) -> tuple[tuple[Hashable, ...], ...]:
        """Only the groups made by merging two or more categories (what the report should mention)."""
        return tuple(group for group in self.groups if len(group) > 1)


@dataclass
class _Group:
    # (position, label) of each category in the group, in the order the categories were given.
    members: list[tuple[int, Hashable]]
    observed: int
    expected: float

    @property
    def first(self) -> int:
        """Position of the group's first category: keeps groups in input order and breaks ties."""
        return self.members[0][0]

    @property
    def labels(self) -> list[Hashable]:
        return [label for _, label in self.members]


def chi_square_goodness_of_fit(
    respondents: pd.Series, census: pd.Series, *, min_expected: float = 5.0, ordered: bool = False
) -> GoodnessOfFit:
    """Chi-square test that respondents who answered follow the census shares, after merging.

    `respondents` and `census` are counts per category as for `compare_characteristic` (census
    "Not answered" removed); the census is reindexed to the respondents' order.
    """
    if set(respondents.index) != set(census.index) or respondents.index.has_duplicates:
        raise ValueError("respondent and census categories must be the same unique labels")
    if len(respondents) == 0:
        raise ValueError("a characteristic needs at least one category")
    census = census.reindex(respondents.index).astype(float)
    if (census < 0).any() or census.sum() <= 0 or (respondents < 0).any():
        raise ValueError("counts must be >= 0 and the census must have somebody in it")
    answered = int(respondents.sum())
    shares = census / census.sum()

    groups = [
        _Group([(position, label)], int(count), answered * float(share))
        for position, (label, count, share) in enumerate(zip(respondents.index, respondents, shares, strict=True))
    ]
    while len(groups) > 1 and min(group.expected for group in groups) < min_expected:
        groups = _merge_ordered(groups) if ordered else _merge_smallest_two(groups)

    observed = np.array([group.observed for group in groups], dtype=float)
    expected = np.array([group.expected for group in groups], dtype=float)
    if len(groups) < 2 or answered == 0:
        statistic, p_value, df = math.nan, math.nan, 0
    else:
        result = chisquare(observed, expected)
        statistic, p_value, df = float(result.statistic), float(result.pvalue), len(groups) - 1
    return GoodnessOfFit(
        statistic=statistic,
        df=df,
        p_value=p_value,
        groups=tuple(tuple(group.labels) for group in groups),
        observed=tuple(group.observed for group in groups),
        expected=tuple(float(value) for value in expected),
        min_expected=min_expected,
    )


def _combine(a: _Group, b: _Group) -> _Group:
    return _Group(sorted(a.members + b.members), a.observed + b.observed, a.expected + b.expected)


def _merge_smallest_two(groups: list[_Group]) -> list[_Group]:
    smallest, next_smallest = sorted(groups, key=lambda group: (group.expected, group.first))[:2]
    merged = _combine(smallest, next_smallest)
    rest = [group for group in groups if group is not smallest and group is not next_smallest]
    return sorted([*rest, merged], key=lambda group: group.first)


def _merge_ordered(groups: list[_Group]) -> list[_Group]:
    i = min(range(len(groups)), key=lambda index: (groups[index].expected, index))
    neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(groups)]
    j = min(neighbours, key=lambda index: (groups[index].expected, index))
    low, high = sorted((i, j))
    return [*groups[:low], _combine(groups[low], groups[high]), *groups[high + 1 :]]
