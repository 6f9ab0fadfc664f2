"""Protecting the counts of a closed question's answers (how many chose each option) on public pages
and in their downloads: the outcome page's charts, their tables and their CSV.

A closed question's table is one sum: the people who answered are shared out among the options (one
answer each), or, where people could choose several, each option splits them into those who chose it
and those who did not. The number who answered is always shown (it is the denominator of every share);
every other count is suppressed as any count is (`Protection.mask`: 1 to threshold - 1 hidden, zeros
shown unless the total is small, complements chosen so no hidden count can be worked back out). Shares
are published as whole percentages, and never for a hidden count.

For the exact audience the counts come back as they went in.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd

from representativeness.disclosure.protection import Protection
from representativeness.disclosure.suppression import SumGroup

ANSWERED = "answered"
# Answers the listed options do not account for (say, an option since reworded away): part of the sum,
# never published.
UNLISTED = "__unlisted__"


def _mask(cells: dict[Hashable, int], groups: list[SumGroup], total: Hashable, protection: Protection) -> pd.Series:
    counts = pd.Series(list(cells.values()), index=pd.Index(list(cells), tupleize_cols=False), dtype="int64")
    return protection.mask(counts, groups, always_shown=[total], implied_by_shown=True)


def protect_answer_counts(
    counts: Mapping[str, int], *, answered: int, several: bool, name: str, protection: Protection
) -> dict[str, int | None]:
    """Each option's count, None where hidden. `counts`: option label -> people who chose it; `answered`:
    people who answered the question; `several`: multiple choice (the counts need not add up to it);
    `name`: the question, unique within what `protection`'s key covers."""
    if protection.exact:
        return dict(counts)
    total = (name, ANSWERED)
    if several:
        shown: dict[str, int | None] = {}
        for option, count in counts.items():
            chose, other = (name, option, "chose"), (name, option, "did not")
            cells: dict[Hashable, int] = {total: answered, chose: count, other: answered - count}
            mask = _mask(cells, [SumGroup(total, (chose, other))], total, protection)
            shown[option] = None if mask[chose] else count
        return shown
    parts: dict[Hashable, int] = {(name, option): count for option, count in counts.items()}
    rest = answered - sum(counts.values())
    if rest < 0:
        raise ValueError(f"more answers than people who answered {name!r}")
    cells = {total: answered, **parts, (name, UNLISTED): rest}
    mask = _mask(cells, [SumGroup(total, tuple(p for p in cells if p != total))], total, protection)
    return {option: None if mask[(name, option)] else count for option, count in counts.items()}


def protect_answer_shares(
    counts: Mapping[str, int | None], *, answered: int, protection: Protection
) -> dict[str, float | None]:
    """Each shown count as a share of the people who answered (whole percentages for the protected
    audience); None for a hidden count, or when nobody answered."""
    return {
        option: None if count is None or not answered else protection.share(count / answered)
        for option, count in counts.items()
    }
