"""Plan figures as the audience may see them, through representativeness.disclosure.

A plan shows, for each target group, its responses week by week (and so far), and how many came through
each outreach activity. Target groups of one characteristic can be nested (a broad group and a detailed
group inside it: Disabled, and limited a lot) and every figure of one characteristic adds up with the
others: a week's or an activity's figures for the two groups differ by the rest of the broad group in it,
a group's total less what came through each activity is what came through none. So, for the protected
audience, each characteristic's figures are protected as two grids by `disclosure.protect_grid` (weeks by
groups, and activities, with responses through none, by groups), with every row's total (responses in the
week, through the activity) and every group's total taken as known to the reader. A running total is shown
only where every week up to it is shown (or it is the total), so no hidden week is the difference of two
shown running totals. Characteristics are protected apart: they are tied only through the rows' totals,
which are known anyway.

For the protected audience a group's figures are counted from the survey's published snapshot, like the
report's, and shown only where the report (of the same snapshot) shows the group's count: the report's
suppression is audited over each characteristic's whole table, while a group's total protected alone
could be a count the report hides as a complement, and give the small one back by subtraction. A group
within a ward is a table the report does not publish, so its figures are hidden from that audience.
"""

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from plans.selectors import PlanPeople
from representativeness.disclosure import Protection, protect_grid

NONE = "none"  # the row of responses that came through no activity


@dataclass(frozen=True)
class ShownWeek:
    number: int
    starts: object
    count: int | None
    cumulative: int | None


@dataclass(frozen=True)
class PlanFigures:
    """The plan's figures for one audience (None where hidden)."""

    weeks: dict[int, list[ShownWeek]]  # target group id -> its weeks
    totals: dict[int, int | None]  # target group id -> responses so far
    from_group: dict[tuple[int, int], int | None]  # (activity id, target group id) -> responses


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


def _leaf(people: PlanPeople, groups: Collection[int], response: str) -> tuple[int, ...]:
    """The groups (of `groups`) a response is in: people in exactly the same groups form one leaf."""
    return tuple(sorted(g for g in groups if response in people.members[g]))


def protect_plan(
    people: PlanPeople,
    *,
    characteristics: Mapping[int, str],
    published: Collection[int],
    activities: Sequence[int],
    week_starts: Sequence[dt.date],
    protection: Protection,
) -> PlanFigures:
    """Every group's weeks, total and responses through each activity, as `protection`'s audience may see
    them. `characteristics`: each target group's characteristic (by id). `published`: the groups whose count
    the report shows this audience (see the module docstring); every figure of the others is hidden."""
    figures = PlanFigures(weeks={}, totals={}, from_group={})
    by_characteristic: dict[str, list[int]] = {}
    for group, characteristic in characteristics.items():
        total = len(people.members[group])
        small = 0 < total < protection.threshold
        if protection.exact or (group in published and not small):
            by_characteristic.setdefault(characteristic, []).append(group)
        else:
            figures.weeks[group] = [ShownWeek(n + 1, starts, None, None) for n, starts in enumerate(week_starts)]
            figures.totals[group] = None
            figures.from_group.update({(activity, group): None for activity in activities})
    for groups in by_characteristic.values():
        _protect_characteristic(people, groups, activities, week_starts, protection, figures)
    return figures


def _protect_characteristic(
    people: PlanPeople,
    groups: list[int],
    activities: Sequence[int],
    week_starts: Sequence[dt.date],
    protection: Protection,
    figures: PlanFigures,
) -> None:
    leaf_of = {response: _leaf(people, groups, response) for response in people.week}
    leaves = {leaf: number for number, leaf in enumerate(sorted(set(leaf_of.values())))}
    columns = {group: [number for leaf, number in leaves.items() if group in leaf] for group in groups}
    weeks = list(range(1, len(week_starts) + 1))
    rows: list[Any] = [*activities, NONE]
    in_week: Counter[tuple[int, int]] = Counter()
    through: Counter[tuple[Any, int]] = Counter()
    for response, leaf in leaf_of.items():
        activity = people.activity[response]
        in_week[(people.week[response], leaves[leaf])] += 1
        through[(NONE if activity is None else activity, leaves[leaf])] += 1
    by_week = pd.DataFrame(
        [[in_week[(week, leaf)] for leaf in leaves.values()] for week in weeks],
        index=weeks,
        columns=list(leaves.values()),
        dtype="int64",
    )
    by_activity = pd.DataFrame(
        [[through[(row, leaf)] for leaf in leaves.values()] for row in rows],
        index=rows,
        columns=list(leaves.values()),
        dtype="int64",
    )
    week_hidden = protect_grid(by_week, columns, protection=protection)
    activity_hidden = protect_grid(by_activity, columns, protection=protection, published_rows=activities)
    for group in groups:
        counts = [int(by_week.loc[week, columns[group]].sum()) for week in weeks]
        shown, running, all_shown_so_far = [], 0, True
        for week, (count, starts) in enumerate(zip(counts, week_starts, strict=True), start=1):
            running += count
            hidden = bool(week_hidden.at[week, group])
            all_shown_so_far = all_shown_so_far and not hidden
            cumulative_shown = all_shown_so_far or week == weeks[-1]
            shown.append(ShownWeek(week, starts, None if hidden else count, running if cumulative_shown else None))
        figures.weeks[group] = shown
        figures.totals[group] = running
        for activity in activities:
            count = int(by_activity.loc[activity, columns[group]].sum())
            figures.from_group[(activity, group)] = None if activity_hidden.at[activity, group] else count
