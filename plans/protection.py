"""Plan figures as the audience may see them, through representativeness.disclosure.

A target group's weekly responses add up to its total, so they are protected as one table (week counts
and the total, `SumGroup(total, weeks)`): small weeks are hidden with complements, and the total too
when it is small. A running total is shown only where every week up to it is shown (or it is the total,
when that is shown), so no hidden week is the difference of two shown running totals. An activity's
responses from a group are protected with their complement (its other responses), the activity's total
being shown: it counts responses, not anyone's answers.

For the protected audience a group's figures are counted from the survey's published snapshot, like the
report's, and shown only where the report (of the same snapshot) shows the group's count: the report's
suppression is audited over each characteristic's whole table, while a group's total protected alone
could be a count the report hides as a complement, and give the small one back by subtraction. A group
within a ward is a table the report does not publish, so its figures are hidden from that audience.
"""

from dataclasses import dataclass
from typing import Any

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


def published_in_report(report: Any, *, characteristic: str, level: str, category: str, ward: object) -> bool:
    """Whether the protected `report` (None: it could not be built) shows a group's count."""
    if report is None or ward is not None:
        return False
    for published in report.characteristics:
        if (published.key, published.level) == (characteristic, level):
            return any(
                str(row["category"]) == category and row.get("respondents") is not None for row in published.categories
            )
    return False


def protect_weeks(
    weeks: list[Week], *, protection: Protection, published: bool = True
) -> tuple[list[ShownWeek], int | None]:
    """The weeks and the total as the audience may see them (None where hidden). `published`: whether the
    report shows the group's count to this audience (see the module docstring)."""
    if not (published or protection.exact):
        return [ShownWeek(w.number, w.starts, None, None) for w in weeks], None
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


def protect_share_of(through: int, in_group: int, *, protection: Protection, published: bool = True) -> int | None:
    """How many of an activity's `through` responses came from a group, or None where hidden (always when
    the report does not show the group's count, `published`)."""
    if not (published or protection.exact):
        return None
    cells = pd.Series({"through": through, "group": in_group, "rest": through - in_group}, dtype="int64")
    mask = protection.mask(
        cells, [SumGroup("through", ("group", "rest"))], always_shown=["through"], implied_by_shown=True
    )
    return None if mask["group"] else in_group
