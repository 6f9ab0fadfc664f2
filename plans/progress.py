"""Progress towards a target, week by week. Pure functions: no Django here.

Week 1 is the seven days from the plan's first day (the survey's opening date), week 2 the next seven,
and so on up to the week holding the last day shown. A response dated before the first day counts in
week 1, one after the last day in the last week, so the weeks always add up to the group's total.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Week:
    number: int
    starts: dt.date
    count: int  # responses from the group in the week
    cumulative: int  # responses from the group up to the end of the week


def week_number(day: dt.date, *, first_day: dt.date, weeks: int) -> int:
    """The week (from 1) a response dated `day` counts in, of `weeks` weeks from `first_day`."""
    return min(max((day - first_day).days // 7, 0), weeks - 1) + 1


def week_count(*, first_day: dt.date, last_day: dt.date) -> int:
    if last_day < first_day:
        raise ValueError("the last day is before the first")
    return (last_day - first_day).days // 7 + 1


def weekly_series(days: Iterable[dt.date], *, first_day: dt.date, last_day: dt.date) -> list[Week]:
    """The responses dated `days`, counted per week from `first_day` to `last_day` inclusive."""
    weeks = week_count(first_day=first_day, last_day=last_day)
    counts = [0] * weeks
    for day in days:
        counts[week_number(day, first_day=first_day, weeks=weeks) - 1] += 1
    series, running = [], 0
    for index, count in enumerate(counts):
        running += count
        series.append(Week(index + 1, first_day + dt.timedelta(days=7 * index), count, running))
    return series
