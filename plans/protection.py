"""Plan figures as the audience may see them, through representativeness.disclosure.

A target group's weekly responses add up to its total, so they are protected as one table (week counts
and the total, `SumGroup(total, weeks)`): small weeks are hidden with complements, and the total too
when it is small. A running total is shown only where every week up to it is shown (or it is the total,
when that is shown), so no hidden week is the difference of two shown running totals. An activity's
responses from a group are protected with their complement (its other responses), the activity's total
being shown: it counts responses, not anyone's answers.
"""

from dataclasses import dataclass

import pandas as pd

from plans.progress import Week
from representativeness.disclosure import Protection, SumGroup

TOTAL = "total"


def _week(number: int) -> str:
    return f"week {number}"


@dataclass(frozen=True)
class ShownWeek:
    number: int
    starts: object
    count: int | None
    cumulative: int | None


def protect_weeks(weeks: list[Week], *, protection: Protection) -> tuple[list[ShownWeek], int | None]:
    """The weeks and the total as the audience may see them (None where hidden)."""
    total = weeks[-1].cumulative if weeks else 0
    cells = pd.Series({_week(w.number): w.count for w in weeks} | {TOTAL: total}, dtype="int64")
    mask = protection.mask(cells, [SumGroup(TOTAL, tuple(_week(w.number) for w in weeks))])
    shown, all_shown_so_far = [], True
    for index, week in enumerate(weeks):
        hidden = bool(mask[_week(week.number)])
        all_shown_so_far = all_shown_so_far and not hidden
        last = index == len(weeks) - 1
        cumulative_shown = all_shown_so_far or (last and not mask[TOTAL])
        shown.append(
            ShownWeek(
                week.number,
                week.starts,
                None if hidden else week.count,
                week.cumulative if cumulative_shown else None,
            )
        )
    return shown, None if mask[TOTAL] else total


def protect_share_of(through: int, in_group: int, *, protection: Protection) -> int | None:
    """How many of an activity's `through` responses came from a group, or None where hidden."""
    cells = pd.Series({"through": through, "group": in_group, "rest": through - in_group}, dtype="int64")
    mask = protection.mask(
        cells, [SumGroup("through", ("group", "rest"))], always_shown=["through"], implied_by_shown=True
    )
    return None if mask["group"] else in_group
